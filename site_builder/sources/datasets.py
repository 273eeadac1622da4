"""Datasets (数据开放) and the 双公示 (administrative licensing and penalty decisions): read and check
catalogue/datasets.yml and the rows in content/data/<id>.csv (UTF-8, a header row), and turn them into
what may be published. Plain data in and out; problems through problems.py with file, line and column.

The rules (docs/datasets.md is the editors' version):

- `catalogue/datasets.yml` declares each dataset: id, name, department (发布机构), kind (licensing |
  penalty | table), frequency, optional licence and description, and for `table` its columns (name,
  type: text | integer | number | date). Its rows are `content/data/<id>.csv`.
- A `licensing` / `penalty` CSV has the standard 双公示 columns (LICENSING / PENALTY below, the
  contract in DESIGN.md, exact names), plus one optional column of ours, 公示日期 (the day the row was
  published: the 7-working-day timeliness check needs it, as a CSV row has no publication date).
- Cells: required ones not empty, dates YYYY-MM-DD, amounts decimal numbers ≥ 0, enumerations
  (行政相对人类别, 许可类别, 当前状态) one of their values; a 决定文书号 appears once among all the
  datasets of its kind; a row with more or fewer cells than the header is an error, as is a file that
  is not UTF-8 (GBK from Excel's “CSV (逗号分隔)”: the message says how to re-save it).
- Privacy: for 行政相对人类别 自然人 the name is published masked (`mask_name`: 张某某, the surname kept,
  two-character compound surnames known), the full name is masked wherever else the row repeats it,
  and 统一社会信用代码 / 法定代表人 are not published for a natural person. Every published cell is
  scanned with privacy.py's detectors (what a reader sees): a resident ID, mobile or bank card number
  in any published cell is an error naming file, line and column (the editor removes it; we do not
  guess which part of a sentence to hide). A 统一社会信用代码 column holding a valid code (its check
  character verified) is not scanned: 17 digits and a letter would otherwise pass for a card number.
- Time limits: a penalty whose 公示截止期 is before the build day is withdrawn (not published anywhere;
  `Datasets.withdrawn_line` is the build log's line); a row whose 公示日期 is after the build day is
  held back until that day. Lateness (公示日期 more than 7 working days after the 决定日期) is the
  report's business (plan/datasets.py), which has the working-day calendar.

The CSV files themselves are never published (boundary.py withholds content/data/): only the masked
rows, through the pages and downloads the later stages make from `Dataset.rows` / `Decision`s.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import privacy, suggest
from .boundary import DATASETS_DIR
from .catalogue import FREQUENCIES, ID_RE, Catalogue, read_entries
from .problems import Problems, clip
from .sanitize import has_markup, plain_text

DATA_DIR = DATASETS_DIR  # content/data/<id>.csv (boundary.py withholds the folder)
CATALOGUE_FILE = "datasets.yml"
LOG_NAMED = 100  # 文书号 named in one build-log line (the count is always whole)
MAX_CSV_BYTES = 64 * 1024 * 1024
KINDS = {"licensing": "行政许可", "penalty": "行政处罚", "table": "数据表"}
TYPES = {"text": "文字", "integer": "整数", "number": "数字", "date": "日期"}
PERSON_KINDS = ("法人及非法人组织", "自然人", "个体工商户")
NATURAL_PERSON = "自然人"
PUBLISHED_ON = "公示日期"  # our optional column (not in the national standard)
NOT_FOR_PERSONS = ("统一社会信用代码", "法定代表人")  # not published for a natural person


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # text | integer | number | date | amount | choice
    required: bool = False
    choices: tuple[str, ...] = ()


def _cols(spec: str) -> tuple[Column, ...]:
    out = []
    for part in spec.split("|"):
        name, _, kind = part.strip().partition(":")
        required = name.endswith("*")
        name = name.rstrip("*")
        choices = ()
        if kind.startswith("choice="):
            choices = tuple(kind[len("choice="):].split("/"))
            kind = "choice"
        out.append(Column(name, kind or "text", required, choices))
    return tuple(out)


LICENSING = _cols(
    "行政相对人名称* | 行政相对人类别*:choice=法人及非法人组织/自然人/个体工商户 | 统一社会信用代码 | 法定代表人 | "
    "行政许可决定文书名称* | 行政许可决定文书号* | 许可类别*:choice=普通/特许/认可/核准/登记/其他 | 许可证书名称 | "
    "许可编号 | 许可内容* | 许可决定日期*:date | 有效期自*:date | 有效期至*:date | 许可机关* | "
    "许可机关统一社会信用代码* | 当前状态*:choice=有效/无效 | 数据来源单位* | 备注")
PENALTY = _cols(
    "行政相对人名称* | 行政相对人类别*:choice=法人及非法人组织/自然人/个体工商户 | 统一社会信用代码 | 法定代表人 | "
    "行政处罚决定书文号* | 违法行为类型* | 违法事实* | 处罚依据* | 处罚类别* | 处罚内容* | 罚款金额（万元）:amount | "
    "没收违法所得、没收非法财物的金额（万元）:amount | 暂扣或吊销证照名称及编号 | 处罚决定日期*:date | 处罚有效期*:date | "
    "公示截止期*:date | 处罚机关* | 处罚机关统一社会信用代码* | 数据来源单位* | 备注")
EXTRA = Column(PUBLISHED_ON, "date")
STANDARD = {"licensing": LICENSING, "penalty": PENALTY}
# per kind: (决定文书号 column, 决定日期 column, 类别 column, 机关 column)
KEYS = {"licensing": ("行政许可决定文书号", "许可决定日期", "许可类别", "许可机关"),
        "penalty": ("行政处罚决定书文号", "处罚决定日期", "处罚类别", "处罚机关")}
PENALTY_CATEGORY_SPLIT = re.compile(r"[;；、,，/]+")

COMPOUND_SURNAMES = frozenset(
    "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 公冶 太叔 申屠 "
    "公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 "
    "拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 公户 公玉 公仪 梁丘 公仲 公上 公门 公山 公坚 左丘 "
    "公伯 西门 公祖 第五 公乘 贯丘 公皙 南荣 东里 东宫 仲长 子书 子桑 即墨 达奚 褚师".split())

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?$")
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# a cell Excel/WPS would run as a formula when the published CSV is opened (OWASP “CSV Injection”)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMULA_WARN = ("=", "+", "@")  # worth telling the editor (a text starting with “-” is common and harmless once quoted)
NUMERIC_TYPES = frozenset({"integer", "number", "amount", "date"})  # checked cells: a value, never a formula
_DIGIT = re.compile(r"\d")  # any script's digits (full-width too): cells worth the privacy scan
_SPACES = re.compile(r"\s+")


def mask_name(name: str) -> str:
    """A natural person's name as published: the surname (a known two-character compound surname, else
    the first character) and 某某 (某 for a one-character given name): 张三丰 → 张某某, 李四 → 李某,
    欧阳修 → 欧阳某."""
    name = name.strip()
    if not name:
        return ""
    surname = name[:2] if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else name[0]
    given = len(name) - len(surname)
    return surname + ("某某" if given >= 2 else "某")


def doc_slug(doc_no: str) -> str:
    """The permanent URL part of a decision: the first 16 hex digits of the SHA-256 of its 文书号 after
    NFKC (full-width → half-width) and with all white space removed. Stable as long as the 文书号 is."""
    norm = _SPACES.sub("", unicodedata.normalize("NFKC", doc_no))
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def penalty_categories(value: str) -> tuple[str, ...]:
    """处罚类别 may name several (警告;罚款): each one, in order."""
    return tuple(p.strip() for p in PENALTY_CATEGORY_SPLIT.split(value) if p.strip())


@dataclass(frozen=True)
class DatasetInfo:
    """What a page shows about a dataset (small and frozen: it enters page fingerprints)."""
    id: str
    name: str
    department: str
    kind: str
    frequency: str
    licence: str = ""
    description: str = ""
    columns: tuple[Column, ...] = ()
    rows: int = 0
    last_update: dt.date | None = None  # the latest date in its rows
    first_date: dt.date | None = None  # the earliest (DCAT dct:issued)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def frequency_label(self) -> str:
        return FREQUENCIES.get(self.frequency, self.frequency)


@dataclass(frozen=True)
class Decision:
    """One published 双公示 decision (masked)."""
    kind: str  # licensing | penalty
    dataset: str
    department: str
    doc_no: str
    slug: str
    name: str  # 行政相对人名称 as published (masked for a natural person)
    person_kind: str
    categories: tuple[str, ...]
    date: dt.date  # 决定日期
    published: dt.date | None  # 公示日期, when given
    cells: tuple[tuple[str, str], ...]  # (column, published value) in column order
    title: str
    line: int = 0  # in its CSV (not shown)

    def cell(self, column: str) -> str:
        for name, value in self.cells:
            if name == column:
                return value
        return ""


@dataclass
class Dataset:
    info: DatasetInfo
    csv_rel: str
    columns: tuple[Column, ...]  # the published columns, in order
    rows: list[dict] = field(default_factory=list)  # published rows (masked), column → value
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class Datasets:
    items: list[Dataset] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # 文书号 of penalties past their 公示截止期
    held: list[str] = field(default_factory=list)  # 文书号 with a 公示日期 after the build day

    def decisions(self, kind: str) -> list[Decision]:
        """Every published decision of `kind`, newest first (决定日期, then 文书号)."""
        out = [d for ds in self.items for d in ds.decisions if d.kind == kind]
        out.sort(key=lambda d: (d.date, d.doc_no), reverse=True)
        return out

    def log_lines(self) -> list[str]:
        """The build log's info lines: withdrawn penalties, and rows held back until their 公示日期."""
        lines = []
        if self.withdrawn:
            lines.append(f"双公示：{len(self.withdrawn)} 条行政处罚已过公示截止期，已从网站、下载和搜索中撤下："
                         + "、".join(self.withdrawn[:LOG_NAMED]) + ("等" if len(self.withdrawn) > LOG_NAMED else ""))
        if self.held:
            lines.append(f"双公示：{len(self.held)} 条决定的公示日期晚于本次生成日期，本次不发布："
                         + "、".join(self.held[:LOG_NAMED]) + ("等" if len(self.held) > LOG_NAMED else ""))
        return lines


# --- reading ---------------------------------------------------------------------------------------


def _text(entry, key: str, rel: str, problems: Problems, required: bool = False) -> str:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            problems.error(rel, entry.line, f"数据集缺少必填字段 {key}", f"请在这一条中加上“{key}: …”（格式见 docs/datasets.md）")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.error(rel, entry.line_of(key), f"字段 {key} 应是一段文字", f"写成“{key}: 文字”")
        return ""
    value = str(value)
    if has_markup(value):
        value = plain_text(value)
        problems.warning(rel, entry.line_of(key), f"字段 {key} 中的 HTML 标记不会发布，只保留其中的文字", f"{key} 只写纯文字")
    return value.strip()


def _plain_cell(value: str, column: str, rel: str, line: int, problems: Problems) -> str:
    """A cell's text: markup is never published (pages, downloads, search), as in a record's text fields."""
    if not has_markup(value):
        return value
    problems.warning(rel, line, f"第 {line} 行“{column}”列中的 HTML 标记不会发布，只保留其中的文字", f"{column} 只写纯文字")
    return plain_text(value)


def formula_like(value: str) -> bool:
    """A text cell a spreadsheet would run as a formula: it starts with = + - @ TAB or CR and is not a
    plain number (-12.5 or +3 is a value in Excel too, and is left as written) or a lone “-” (无)."""
    return value.startswith(FORMULA_START) and value != "-" and not _NUMBER.match(value.removeprefix("+"))


def _formula_cell(value: str, column: Column, rel: str, line: int, problems: Problems) -> None:
    """Warn about a text cell that would be a formula in Excel: the CSV download quotes it (outputs/datasets.py)."""
    if column.type not in NUMERIC_TYPES and value.startswith(FORMULA_WARN) and formula_like(value):
        problems.warning(rel, line, f"第 {line} 行“{column.name}”列的“{clip(value)}”以 {value[0]} 开头，在 Excel/WPS 中会被当作公式",
                         "下载的 CSV 中该单元格前加了单引号（'），以文字显示；如不是有意为之，请改写这一格")


def _read_catalogue(path: Path, rel: str, cat: Catalogue, problems: Problems) -> list[tuple[DatasetInfo, int]]:
    out, seen = [], {}
    for entry in read_entries(path, rel, problems, "docs/datasets.md", "- id: xk-2026"):
        line = entry.line
        ok = True
        ident = _text(entry, "id", rel, problems, required=True)
        if ident and not ID_RE.match(ident):
            problems.error(rel, entry.line_of("id"), f"数据集 id “{clip(ident)}”只能包含小写字母、数字和连字符",
                           "id 用在网址和文件名中（content/data/<id>.csv），例如 xk-2026")
            ok = False
        elif ident in seen:
            problems.error(rel, entry.line_of("id"), f"数据集 id “{ident}”重复（第 {seen[ident]} 行已使用）", "每个 id 必须唯一")
            ok = False
        elif ident:
            seen[ident] = entry.line_of("id")
        name = _text(entry, "name", rel, problems, required=True)
        department = _text(entry, "department", rel, problems, required=True)
        if department and department not in cat.departments:
            problems.error(rel, entry.line_of("department"), f"发布机构“{clip(department)}”不存在",
                           suggest.with_suggestion(department, {k: v.name for k, v in cat.departments.items()},
                                                   "发布机构写 catalogue/departments.yml 中的 id"))
            ok = False
        kind = _text(entry, "kind", rel, problems, required=True)
        if kind and kind not in KINDS:
            problems.error(rel, entry.line_of("kind"), f"数据集类型“{clip(kind)}”无法识别",
                           "kind 只能是 licensing（行政许可）、penalty（行政处罚）或 table（数据表）")
            ok = False
        frequency = _text(entry, "frequency", rel, problems, required=True)
        if frequency and frequency not in FREQUENCIES:
            problems.error(rel, entry.line_of("frequency"), f"更新频率“{clip(frequency)}”无法识别",
                           "只能是 on-change、monthly、quarterly 或 yearly")
            ok = False
        columns = _table_columns(entry, kind, rel, problems)
        if columns is None:
            ok = False
        if ok and ident and name and department and kind and frequency:
            out.append((DatasetInfo(ident, name, department, kind, frequency, _text(entry, "licence", rel, problems),
                                    _text(entry, "description", rel, problems), columns or ()),
                        entry.line_of("id") or line))
    return out


def _table_columns(entry, kind: str, rel: str, problems: Problems) -> tuple[Column, ...] | None:
    raw = entry.get("columns")
    if kind != "table":
        if raw:
            problems.warning(rel, entry.line_of("columns"), "只有 kind: table 的数据集需要 columns；双公示数据集的列是国家标准规定的",
                             "删除 columns（列名见 docs/datasets.md）")
        return ()
    if not raw or not isinstance(raw, list):
        problems.error(rel, entry.line_of("columns") if raw else entry.line, "数据表（kind: table）缺少 columns 列定义",
                       "写成 columns: 列表，每项 {name: 列名, type: text|integer|number|date}")
        return None
    out, names = [], set()
    for i, col in enumerate(raw):
        line = raw.lines[i] if getattr(raw, "lines", None) else entry.line_of("columns")
        if not isinstance(col, dict) or not isinstance(col.get("name"), str) or not col.get("name").strip():
            problems.error(rel, line, "列定义应写成 {name: 列名, type: 类型}", "例如 - {name: 乡镇, type: text}")
            return None
        name, kind_ = col["name"].strip(), str(col.get("type") or "text").strip()
        if kind_ not in TYPES:
            problems.error(rel, line, f"列“{clip(name)}”的类型“{clip(kind_)}”无法识别", "type 只能是 text、integer、number 或 date")
            return None
        if name in names:
            problems.error(rel, line, f"列名“{clip(name)}”重复", "每列名称必须不同")
            return None
        names.add(name)
        out.append(Column(name, kind_))
    return tuple(out)


def _decode(data: bytes, rel: str, problems: Problems) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "文件似乎是 GBK/GB18030 编码（Excel“CSV（逗号分隔）”默认保存的格式）"
        except UnicodeDecodeError:
            guess = "文件不是 UTF-8 编码"
        problems.error(rel, line, f"{guess}，第 {line} 行起无法按 UTF-8 读取",
                       "请另存为 UTF-8：在 Excel 中“文件 → 另存为”，类型选“CSV UTF-8（逗号分隔）(*.csv)”；"
                       "或用记事本打开，“另存为”时编码选“UTF-8”")
        return None


def _rows(text: str, rel: str, problems: Problems):
    """(line, cells) of each non-empty record of the CSV text; the header first. A record that is not
    valid CSV is an error (and ends the reading: what follows cannot be trusted)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            yield line, cells
    except csv.Error as exc:
        problems.error(rel, reader.line_num or start, f"第 {reader.line_num or start} 行不是有效的 CSV：{exc}",
                       "检查这一行的英文双引号是否成对；单元格中的双引号要写成两个（\"\"）")


def _check_header(header: list[str], expected: tuple[Column, ...], rel: str, problems: Problems,
                  standard: bool) -> dict[str, int] | None:
    header = [h.strip() for h in header]
    at: dict[str, int] = {}
    for i, h in enumerate(header):
        if h in at:
            problems.error(rel, 1, f"表头中列“{clip(h)}”出现了两次（第 {at[h] + 1} 列和第 {i + 1} 列）", "删除重复的列")
            return None
        at[h] = i
    known = {c.name: c.name for c in expected}
    ok = True
    for c in expected:
        if c.name not in at and (c.required or not standard):
            problems.error(rel, 1, f"缺少{'必填' if standard else ''}列“{c.name}”",
                           suggest.with_suggestion(c.name, {h: h for h in header}, "表头（第 1 行）须含此列，列名与 docs/datasets.md 一致"))
            ok = False
    for h in header:
        if h and h not in known and h != PUBLISHED_ON:
            problems.warning(rel, 1, f"表头中的列“{clip(h)}”不是本数据集的列，不会发布",
                             suggest.with_suggestion(h, known, "列名须与 docs/datasets.md（双公示）或 datasets.yml 的 columns 完全一致"))
        elif not h:
            problems.warning(rel, 1, f"表头第 {header.index(h) + 1} 列没有列名，该列不会发布", "写上列名，或删除该列")
    return at if ok else None


def _check_cell(col: Column, value: str, rel: str, line: int, problems: Problems) -> bool:
    if not value:
        if col.required:
            problems.error(rel, line, f"第 {line} 行“{col.name}”列为空，这是必填项", f"填写{col.name}")
            return False
        return True
    kind = col.type
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            problems.error(rel, line, f"第 {line} 行“{col.name}”列的“{clip(value)}”不是有效日期",
                           "日期写成 YYYY-MM-DD，例如 2026-03-05（在 Excel 中把该列设为“文本”格式再填写）")
            return False
    elif kind == "amount" and not _AMOUNT.match(value):
        problems.error(rel, line, f"第 {line} 行“{col.name}”列的“{clip(value)}”不是金额",
                       "金额写成不带单位和千位分隔符的数字（单位：万元），例如 0.5 或 12")
        return False
    elif kind == "integer" and not _INTEGER.match(value):
        problems.error(rel, line, f"第 {line} 行“{col.name}”列的“{clip(value)}”不是整数", "写成不带单位和千位分隔符的整数，例如 128")
        return False
    elif kind == "number" and not _NUMBER.match(value):
        problems.error(rel, line, f"第 {line} 行“{col.name}”列的“{clip(value)}”不是数字", "写成不带单位和千位分隔符的数字，例如 35.6")
        return False
    elif kind == "choice" and value not in col.choices:
        problems.error(rel, line, f"第 {line} 行“{col.name}”列的“{clip(value)}”不是规定的取值",
                       suggest.with_suggestion(value, {c: c for c in col.choices}, "只能是：" + "、".join(col.choices)))
        return False
    return True


def _privacy(row: dict, columns: tuple[Column, ...], rel: str, line: int, problems: Problems, today) -> bool:
    ok = True
    for c in columns:
        value = row.get(c.name, "")
        if len(_DIGIT.findall(value)) < 11:  # every detected number has 11 digits or more
            continue
        if c.name.endswith("统一社会信用代码") and privacy.is_credit_code(value):
            continue  # a valid code (check character verified) whose 17 digits would pass for a card number
        for f in privacy.scan_seen(value, markup=False, today=today, called_id=privacy.names_id_numbers(c.name)):
            problems.error(rel, line, f"第 {line} 行“{c.name}”列中有{f.label}（{f.masked}），不得公开",
                           "删除该号码（双公示不公开个人的证件号码和联系方式；自然人的号码不要写进任何列）")
            ok = False
    return ok


def read_dataset(info: DatasetInfo, path: Path, rel: str, problems: Problems, build_day: dt.date,
                 withdrawn: list[str], held: list[str], organs: dict[str, str] | None = None) -> Dataset | None:
    """One dataset's CSV, checked and turned into its published rows (and decisions for 双公示).
    `organs`: department name → id; a decision belongs to the department named by its 许可机关 /
    处罚机关 (the 机构 filter), else to the dataset's department (one warning per unknown name)."""
    organs = organs or {}
    unknown_organs: dict[str, int] = {}
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        problems.error(rel, None, f"数据文件过大（{size / 1048576:.0f} MB，上限 {MAX_CSV_BYTES // 1048576} MB），未读取",
                       "按年度拆分为几个数据集")
        return None
    text = _decode(path.read_bytes(), rel, problems)
    if text is None:
        return None
    standard = info.kind in STANDARD
    expected = STANDARD[info.kind] if standard else info.columns
    rows = _rows(text, rel, problems)
    first = next(rows, None)
    if first is None:
        problems.error(rel, None, "数据文件是空的，没有表头", "第 1 行写表头（列名），其后每行一条数据")
        return None
    at = _check_header(first[1], expected, rel, problems, standard)
    if at is None:
        for _ in rows:  # still read through: a broken row later is worth knowing now
            pass
        return None
    columns = tuple(c for c in expected if c.name in at)
    if standard and PUBLISHED_ON in at:
        columns += (EXTRA,)
    width = len(first[1])
    ds = Dataset(info, rel, columns)
    failed = False
    dates: list[dt.date] = []
    for line, cells in rows:
        if len(cells) != width:
            problems.error(rel, line, f"第 {line} 行有 {len(cells)} 个单元格，表头有 {width} 列",
                           "每行的单元格数须与表头相同：检查是否多了或少了逗号，含逗号的内容要整体加英文双引号")
            failed = True
            continue
        row = {c.name: _plain_cell(cells[at[c.name]].strip(), c.name, rel, line, problems) for c in columns}
        ok = all([_check_cell(c, row[c.name], rel, line, problems) for c in columns])
        for c in columns:
            _formula_cell(row[c.name], c, rel, line, problems)
        if not standard:
            ok = _privacy(row, columns, rel, line, problems, build_day) and ok
            if ok:
                ds.rows.append(row)
                dates += [dt.date.fromisoformat(row[c.name]) for c in columns if c.type == "date" and row[c.name]]
            else:
                failed = True
            continue
        if row["行政相对人类别"] == NATURAL_PERSON:
            real = row["行政相对人名称"]
            masked = mask_name(real)
            for c in columns:
                if c.name in NOT_FOR_PERSONS:
                    row[c.name] = ""
                elif real and len(real) >= 2 and real in row[c.name]:
                    row[c.name] = row[c.name].replace(real, masked)
            row["行政相对人名称"] = masked
        ok = _privacy(row, columns, rel, line, problems, build_day) and ok
        if not ok:
            failed = True
            continue
        doc_col, date_col, cat_col, organ_col = KEYS[info.kind]
        organ = organs.get(row[organ_col])
        if organ is None:
            unknown_organs.setdefault(row[organ_col], line)
        decided = dt.date.fromisoformat(row[date_col])
        published = dt.date.fromisoformat(row[PUBLISHED_ON]) if row.get(PUBLISHED_ON) else None
        if info.kind == "penalty" and dt.date.fromisoformat(row["公示截止期"]) < build_day:
            withdrawn.append(row[doc_col])
            continue
        if published is not None and published > build_day:
            held.append(row[doc_col])
            continue
        cats = penalty_categories(row[cat_col]) if info.kind == "penalty" else (row[cat_col],)
        title = (f"{row['行政相对人名称']} {row['行政许可决定文书名称']}" if info.kind == "licensing"
                 else f"{row['行政相对人名称']} 行政处罚决定（{row['违法行为类型']}）")
        ds.decisions.append(Decision(info.kind, info.id, organ or info.department, row[doc_col], doc_slug(row[doc_col]),
                                     row["行政相对人名称"], row["行政相对人类别"], cats, decided, published,
                                     tuple((c.name, row[c.name]) for c in columns), title, line))
        ds.rows.append(row)
        dates += [decided] + ([published] if published else [])
    for name, line in unknown_organs.items():
        problems.warning(rel, line, f"第 {line} 行“{organ_col}”列的“{clip(name)}”不是 catalogue/departments.yml 中的机构名称，"
                         f"这些决定按数据集的发布机构归类", "机关名称写 departments.yml 中的全称，或在其中加上该机构")
    if failed:
        return None
    ds.info = replace(info, rows=len(ds.rows), last_update=max(dates) if dates else None,
                      first_date=min(dates) if dates else None)
    return ds


def load_datasets(catalogue_dir: Path, docs_dir: Path, catalogue_rel: str, docs_rel: str, cat: Catalogue,
                  problems: Problems, build_day: dt.date) -> Datasets:
    """Every dataset declared in catalogue/datasets.yml with its rows; problems collected. No file,
    no datasets (and no 数据开放 / 双公示 pages)."""
    out = Datasets()
    path = catalogue_dir / CATALOGUE_FILE
    rel = f"{catalogue_rel}/{CATALOGUE_FILE}"
    data_dir = docs_dir / DATA_DIR
    infos = _read_catalogue(path, rel, cat, problems) if path.is_file() else []
    declared = {i.id for i, _ in infos}
    if data_dir.is_dir():
        for csv_path in sorted(data_dir.glob("*.csv")):
            if csv_path.stem not in declared:
                problems.warning(f"{docs_rel}/{DATA_DIR}/{csv_path.name}", None,
                                 f"数据文件没有对应的数据集（catalogue/{CATALOGUE_FILE} 中没有 id: {csv_path.stem}），不会发布",
                                 f"在 catalogue/{CATALOGUE_FILE} 中声明它（id 与文件名相同），或把它移出 {docs_rel}/{DATA_DIR}/")
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for info, line in infos:
        csv_rel = f"{docs_rel}/{DATA_DIR}/{info.id}.csv"
        csv_path = data_dir / f"{info.id}.csv"
        if not csv_path.is_file():
            problems.error(rel, line, f"数据集“{info.id}”没有数据文件 {csv_rel}",
                           f"把数据存为 UTF-8 编码的 CSV 文件 {csv_rel}（第 1 行为表头），或删除这一条")
            continue
        ds = read_dataset(info, csv_path, csv_rel, problems, build_day, out.withdrawn, out.held,
                          {d.name: d.id for d in cat.departments.values()})
        if ds is None:
            continue
        dup = False
        for d in ds.decisions:
            key = (d.kind, _SPACES.sub("", unicodedata.normalize("NFKC", d.doc_no)))
            if key in seen:
                other_rel, other_line = seen[key]
                problems.error(csv_rel, d.line, f"第 {d.line} 行“{KEYS[d.kind][0]}”列的“{clip(d.doc_no)}”重复："
                               f"{other_rel} 第 {other_line} 行已使用",
                               "决定文书号必须唯一：核对两行是否是同一决定（重复的删去一行），或更正其中一行的文书号")
                dup = True
            else:
                seen[key] = (csv_rel, d.line)
        if not dup:
            out.items.append(ds)
    return out
