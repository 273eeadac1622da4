"""政府信息公开工作年度报告: one YAML file per report, content/annual-reports/<year>-<organ>.yml, in the
national format (国办公开办函〔2021〕30号). Read and checked here: plain data out, every problem in
Chinese with the file, the line of the key, and for table 三 the row and the column.

The format is docs/annual-reports.md (and DESIGN.md “Documents by kind”). The rule the template implies,
checked per applicant column: 本年新收 + 上年结转 = 三、本年度办理结果（七）总计 + 四、结转下年度继续办理.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import markdown

from . import charset, privacy, yamlsrc
from .dates import DateError, parse_date
from .problems import Problems, clip
from .sanitize import describe, sanitize, unpublished_markup

FOLDER = "annual-reports"  # under the content folder (docs_dir)
GOV = "gov"  # the county government itself
GOV_RECORDS_DEPARTMENT = "gov-office"  # whose records count as the government's own (docs/annual-reports.md)
NORMATIVE = "行政规范性文件"

# 三: the applicant columns, in the order of every list
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
LEGAL_PERSONS = APPLICANTS[1:]  # 法人或其他组织
TOTAL = "总计"

# 三: the rows of 本年度办理结果, (key, label, sub-rows or None), in the template's order
OUTCOMES: tuple[tuple[str, str, tuple[tuple[str, str], ...] | None], ...] = (
    ("granted", "（一）予以公开", None),
    ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("refused", "（三）不予公开", (
        ("state_secret", "1.属于国家秘密"),
        ("law_forbidden", "2.其他法律行政法规禁止公开"),
        ("three_safety", "3.危及“三安全一稳定”"),
        ("third_party", "4.保护第三方合法权益"),
        ("internal_affairs", "5.属于三类内部事务信息"),
        ("process_info", "6.属于四类过程性信息"),
        ("enforcement_files", "7.属于行政执法案卷"),
        ("query_matters", "8.属于行政查询事项"),
    )),
    ("unable", "（四）无法提供", (
        ("not_held", "1.本机关不掌握相关政府信息"),
        ("needs_creation", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"),
    )),
    ("not_processed", "（五）不予处理", (
        ("petition", "1.信访举报投诉类申请"),
        ("duplicate", "2.重复申请"),
        ("publication", "3.要求提供公开出版物"),
        ("excessive", "4.无正当理由大量反复申请"),
        ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    )),
    ("other", "（六）其他处理", (
        ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "3.其他"),
    )),
)
RECEIVED_LABEL = "一、本年新收政府信息公开申请数量"
CARRIED_OVER_LABEL = "二、上年结转政府信息公开申请数量"
RESULTS_LABEL = "三、本年度办理结果"
RESULTS_TOTAL_LABEL = "（七）总计"
CARRIED_FORWARD_LABEL = "四、结转下年度继续办理"

# 二
PROACTIVE_COUNTS = (("regulations", "规章"), ("normative_documents", NORMATIVE))
PROACTIVE_COUNT_KEYS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
PROACTIVE_DECISIONS = (("licensing", "行政许可"), ("penalties", "行政处罚"), ("enforcement", "行政强制"))
PROACTIVE_FEES = ("fees", "行政事业性收费")

# 四
REVIEW_ROWS = (("review", "行政复议"), ("litigation_direct", "行政诉讼 未经复议直接起诉"),
               ("litigation_after_review", "行政诉讼 复议后起诉"))
REVIEW_KEYS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))

TEXTS = (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"), ("other", "六、其他需要报告的事项"))
TOP_KEYS = ("year", "organ", "date", "overview", "problems", "other", "proactive", "requests", "reviews")
REQUEST_KEYS = ("received", "carried_over", *(k for k, _, _ in OUTCOMES), "carried_forward")

_NAME_RE = re.compile(r"^(\d{4})-([a-z0-9-]+)$")
_INT_RE = re.compile(r"^\d{1,9}$")
_AMOUNT_RE = re.compile(r"^\d{1,12}(?:\.\d{1,4})?$")
MAX_TEXT = 100_000  # characters of one Markdown section


@dataclass
class AnnualReport:
    """One report as written, with the totals the template computes."""
    src: str  # the file as the editor knows it (content/annual-reports/2025-gov.yml)
    year: int
    organ: str
    organ_name: str
    date: dt.date
    overview_html: str
    problems_html: str
    other_html: str
    proactive: dict  # regulations/normative_documents: {issued, repealed, in_force}; licensing…: int; fees: Decimal
    requests: dict  # received, carried_over, granted, partly_granted, carried_forward: [6]; groups: {key: [6]}
    reviews: dict  # review, litigation_direct, litigation_after_review: {upheld, corrected, other, pending}
    lines: dict = field(default_factory=dict)  # dotted key → line (proactive.normative_documents.issued)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.organ}"

    @property
    def title(self) -> str:
        return f"{self.organ_name}{self.year}年政府信息公开工作年度报告"

    def results(self) -> list[int]:
        """三（七）总计, per applicant column."""
        return results_total(self.requests)

    def review_total(self, row: str) -> int:
        return sum(self.reviews[row][k] for k, _ in REVIEW_KEYS)


def with_total(values: list[int]) -> list[int]:
    """The six applicant columns and their 总计."""
    return [*values, sum(values)]


def results_total(requests: dict) -> list[int]:
    """三（七）总计 per applicant column: every row of 本年度办理结果."""
    out = [0] * len(APPLICANTS)
    for key, _label, subs in OUTCOMES:
        rows = [requests[key]] if subs is None else [requests[key][s] for s, _ in subs]
        for row in rows:
            out = [a + b for a, b in zip(out, row)]
    return out


def organ_label(organ: str, departments: dict) -> str:
    """The organ's name: gov is the government whose office is gov-office (云溪县人民政府办公室 → 云溪县人民政府);
    "" for an unknown organ."""
    if organ == GOV:
        office = departments.get(GOV_RECORDS_DEPARTMENT)
        if office is not None and office.name.endswith("人民政府办公室"):
            return office.name[:-len("办公室")]
        return "县人民政府"
    dep = departments.get(organ)
    return dep.name if dep is not None else ""


def find_report_files(docs_dir: Path) -> list[Path]:
    folder = docs_dir / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (".yml", ".yaml"))


def withheld_paths(docs_dir: Path) -> set[str]:
    """The report files, docs-relative: their content is published as pages and data/annual-reports.json,
    never as the raw file MkDocs would copy."""
    return {f"{FOLDER}/{p.name}" for p in find_report_files(docs_dir)}


def markdown_html(text: str) -> str:
    """A section's Markdown → sanitized HTML (the site's one sanitization policy, sanitize.py)."""
    return sanitize(markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html"))


def _where(mapping) -> int | None:
    """The line to name for a key missing from `mapping`: the key that holds it, else where it starts."""
    return getattr(mapping, "key_line", None) or getattr(mapping, "line", None)


class _Reader:
    """Reads one file's values, reporting every problem with the line of its key."""

    def __init__(self, rel: str, problems: Problems):
        self.rel = rel
        self.problems = problems
        self.ok = True

    def error(self, line, message: str, hint: str = "") -> None:
        self.problems.error(self.rel, line, message, hint)
        self.ok = False

    def mapping(self, parent: dict, key: str, path: str, keys: tuple[str, ...], label: str):
        """parent[key] as a mapping with exactly `keys` (missing and unknown keys are errors)."""
        value = parent.get(key)
        line = parent.line_of(key) if isinstance(parent, yamlsrc.LinedDict) else None
        if key not in parent:
            self.error(_where(parent), f"缺少 {path}（{label}）",
                       f"加上 {path}，包含 {'、'.join(keys)}（格式见 docs/annual-reports.md）")
            return None
        if not isinstance(value, dict):
            self.error(line, f"{path}（{label}）应是一组“名称: 数值”", f"在 {path}: 下逐行写 {'、'.join(keys)}")
            return None
        self.unknown(value, keys, path)
        value.key_line = line  # a key missing inside it is reported on the line naming it
        return value

    def unknown(self, value: dict, keys: tuple[str, ...], path: str) -> None:
        for k in value:
            if k not in keys:
                self.error(value.line_of(k) if isinstance(value, yamlsrc.LinedDict) else None,
                           f"{path} 中有无法识别的项“{clip(k)}”", f"{path} 下只能写：{'、'.join(keys)}")

    def count(self, parent: dict, key: str, path: str, label: str, amount: bool = False):
        line = parent.line_of(key) if isinstance(parent, yamlsrc.LinedDict) else None
        if key not in parent:
            self.error(_where(parent), f"缺少 {path}（{label}）", f"加上 {key}: 数值（没有时写 0）")
            return None
        raw = parent[key]
        text = raw.strip() if isinstance(raw, str) else None
        if text is None or not (_AMOUNT_RE if amount else _INT_RE).match(text):
            kind = "不小于 0 的数（最多 4 位小数，单位：万元）" if amount else "不小于 0 的整数"
            self.error(line, f"{path}（{label}）应是{kind}，现在是“{clip(raw)}”",
                       "只写阿拉伯数字，不写单位、逗号或空格；没有时写 0")
            return None
        if amount:
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - the regex admits only numbers
                return None
        return int(text)

    def six(self, parent: dict, key: str, path: str, label: str):
        """A list of six non-negative integers, one per applicant column."""
        line = parent.line_of(key) if isinstance(parent, yamlsrc.LinedDict) else None
        if key not in parent:
            self.error(_where(parent), f"缺少 {path}（{label}）",
                       f"加上 {key}: [0, 0, 0, 0, 0, 0]（依次为 {'、'.join(APPLICANTS)}）")
            return None
        value = parent[key]
        if not isinstance(value, list) or len(value) != len(APPLICANTS):
            n = len(value) if isinstance(value, list) else 0
            self.error(line, f"{path}（{label}）应是 6 个数的列表，现在{'有 ' + str(n) + ' 个' if isinstance(value, list) else '不是列表'}",
                       "写成 [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他]，例如 [3, 1, 0, 0, 0, 0]；"
                       "总计由网站计算，不要写")
            return None
        out = []
        for i, v in enumerate(value):
            text = v.strip() if isinstance(v, str) else None
            if text is None or not _INT_RE.match(text):
                at = value.lines[i] if isinstance(value, yamlsrc.LinedList) and i < len(value.lines) else line
                self.error(at, f"{path}（{label}）第 {i + 1} 个数（{APPLICANTS[i]}）应是不小于 0 的整数，现在是“{clip(v)}”",
                           "只写阿拉伯数字；没有时写 0")
                return None
            out.append(int(text))
        return out


MAX_FILE_BYTES = 8 * 1024 * 1024  # not even read beyond this (a full national-format report is ~50 kB)


def read_report(path: Path, rel: str, departments: dict, problems: Problems) -> AnnualReport | None:
    """One report file → AnnualReport, or None when it has an error (all of them reported)."""
    r = _Reader(rel, problems)
    text = charset.read_text_file(path, rel, problems, MAX_FILE_BYTES, "年度报告文件",
                                  "年度报告只写规定的表格数字和说明文字；图表、扫描件另作附件")
    if text is None:
        return None
    try:
        data = yamlsrc.load(text)
    except yamlsrc.YamlError as exc:
        r.error(exc.line, f"YAML 格式错误：{exc.message}", exc.hint)
        return None
    if not isinstance(data, dict):
        r.error(1, "年度报告文件应是一组“名称: 值”（year、organ、date……）", "参照 docs/annual-reports.md 中的示例")
        return None
    r.unknown(data, TOP_KEYS, "年度报告")
    stem = path.stem
    m = _NAME_RE.match(stem)
    if not m:
        r.error(None, f"文件名“{clip(path.name)}”应是 <年度>-<机关>.yml，例如 2025-gov.yml、2025-finance.yml",
                "年度写 4 位数字，机关写 gov（县人民政府）或 catalogue/departments.yml 中的部门 id")
    year = None
    raw_year = data.get("year")
    if "year" not in data:
        r.error(data.line, "缺少 year（报告年度）", "加上 year: 2025")
    elif not isinstance(raw_year, str) or not re.fullmatch(r"\d{4}", raw_year.strip()):
        r.error(data.line_of("year"), f"year（报告年度）应是 4 位年份，现在是“{clip(raw_year)}”", "例如 year: 2025")
    else:
        year = int(raw_year.strip())
        if m and int(m.group(1)) != year:
            r.error(data.line_of("year"), f"year 是 {year}，但文件名 {path.name} 写的是 {m.group(1)} 年",
                    f"文件名与内容一致：把文件改名为 {year}-{m.group(2)}{path.suffix}，或更正 year")
    organ = data.get("organ")
    organ_name = ""
    if "organ" not in data:
        r.error(data.line, "缺少 organ（报告机关）", "加上 organ: gov（县人民政府）或部门 id（见 catalogue/departments.yml）")
        organ = None
    elif not isinstance(organ, str) or not organ.strip():
        r.error(data.line_of("organ"), "organ（报告机关）应是 gov 或部门 id", "例如 organ: gov")
        organ = None
    else:
        organ = organ.strip()
        organ_name = organ_label(organ, departments)
        if not organ_name:
            known = ", ".join(sorted(departments)[:40])
            r.error(data.line_of("organ"), f"报告机关“{clip(organ)}”不存在",
                    f"写 gov（县人民政府）或 catalogue/departments.yml 中的部门 id：{known}")
        if m and m.group(2) != organ:
            r.error(data.line_of("organ"), f"organ 是 {clip(organ)}，但文件名 {path.name} 写的是 {m.group(2)}",
                    f"文件名与内容一致：把文件改名为 {m.group(1)}-{clip(organ)}{path.suffix}，或更正 organ")
    date = None
    if "date" not in data:
        r.error(data.line, "缺少 date（发布日期）", "加上 date: YYYY-MM-DD，例如 date: 2026-01-20")
    else:
        try:
            date = parse_date(data["date"])[0].date() if isinstance(data["date"], str) else None
        except DateError as exc:
            r.error(data.line_of("date"), f"发布日期无效：{exc}", "写成 YYYY-MM-DD")
            date = None
        else:
            if date is None:
                r.error(data.line_of("date"), "发布日期应写成 YYYY-MM-DD", "例如 date: 2026-01-20")
            elif year is not None and date.year <= year:
                r.error(data.line_of("date"), f"发布日期 {date.isoformat()} 不晚于报告年度 {year} 年",
                        f"年度报告在年度结束后发布：核对 date（通常为 {year + 1}-01-31 以前）和 year")
    texts = {}
    for key, label in TEXTS:
        value = data.get(key)
        if key not in data:
            r.error(data.line, f"缺少 {key}（{label}）", f"加上 {key}: |，下一行起缩进两格写正文；没有内容时写“无。”")
        elif not isinstance(value, str) or not value.strip():
            r.error(data.line_of(key), f"{key}（{label}）应是一段文字（Markdown）",
                    f"写成 {key}: |，下一行起缩进两格写正文；没有内容时写“无。”")
        elif len(value) > MAX_TEXT:
            r.error(data.line_of(key), f"{key}（{label}）超过 {MAX_TEXT} 个字符", "精简正文，或把详细材料作为附件另行发布")
        else:
            texts[key] = markdown_html(value)
            dropped = unpublished_markup(value)
            if dropped:  # the same policy as a record's body: named, never silently dropped
                problems.warning(rel, data.line_of(key), f"{key}（{label}）中的 {describe(dropped)} 不会发布",
                                 "年度报告正文不能嵌入脚本、样式、框架或表单：删除它们，需要展示的内容改写为文字")

    proactive = {}
    lines: dict[str, int] = {}
    p = r.mapping(data, "proactive", "proactive", tuple(k for k, _ in PROACTIVE_COUNTS)
                  + tuple(k for k, _ in PROACTIVE_DECISIONS) + (PROACTIVE_FEES[0],), "二、主动公开政府信息情况")
    if p is not None:
        for key, label in PROACTIVE_COUNTS:
            row = r.mapping(p, key, f"proactive.{key}", tuple(k for k, _ in PROACTIVE_COUNT_KEYS), label)
            if row is not None:
                proactive[key] = {k: r.count(row, k, f"proactive.{key}.{k}", f"{label} {col}")
                                  for k, col in PROACTIVE_COUNT_KEYS}
                lines.update({f"proactive.{key}.{k}": row.line_of(k) for k in row})
        for key, label in PROACTIVE_DECISIONS:
            proactive[key] = r.count(p, key, f"proactive.{key}", f"{label} 本年处理决定数量")
        proactive[PROACTIVE_FEES[0]] = r.count(p, PROACTIVE_FEES[0], f"proactive.{PROACTIVE_FEES[0]}",
                                               f"{PROACTIVE_FEES[1]} 本年收费金额（万元）", amount=True)

    requests = {}
    q = r.mapping(data, "requests", "requests", REQUEST_KEYS, "三、收到和处理政府信息公开申请情况")
    if q is not None:
        requests["received"] = r.six(q, "received", "requests.received", RECEIVED_LABEL)
        requests["carried_over"] = r.six(q, "carried_over", "requests.carried_over", CARRIED_OVER_LABEL)
        for key, label, subs in OUTCOMES:
            if subs is None:
                requests[key] = r.six(q, key, f"requests.{key}", f"{RESULTS_LABEL}{label}")
                continue
            group = r.mapping(q, key, f"requests.{key}", tuple(s for s, _ in subs), f"{RESULTS_LABEL}{label}")
            if group is not None:
                requests[key] = {s: r.six(group, s, f"requests.{key}.{s}", f"{label}{sl}") for s, sl in subs}
        requests["carried_forward"] = r.six(q, "carried_forward", "requests.carried_forward", CARRIED_FORWARD_LABEL)
        lines["requests"] = q.line_of("received")

    reviews = {}
    v = r.mapping(data, "reviews", "reviews", tuple(k for k, _ in REVIEW_ROWS), "四、政府信息公开行政复议、行政诉讼情况")
    if v is not None:
        for key, label in REVIEW_ROWS:
            row = r.mapping(v, key, f"reviews.{key}", tuple(k for k, _ in REVIEW_KEYS), label)
            if row is not None:
                reviews[key] = {k: r.count(row, k, f"reviews.{key}.{k}", f"{label} {col}") for k, col in REVIEW_KEYS}

    if not r.ok or any(_has_none(x) for x in (proactive, requests, reviews)):
        return None
    check_arithmetic(requests, rel, lines.get("requests"), problems)
    return AnnualReport(src=rel, year=year, organ=organ, organ_name=organ_name, date=date,
                        overview_html=texts["overview"], problems_html=texts["problems"], other_html=texts["other"],
                        proactive=proactive, requests=requests, reviews=reviews, lines=lines)


def _has_none(value) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_none(x) for x in value.values())
    if isinstance(value, list):
        return any(x is None for x in value)
    return False


def check_arithmetic(requests: dict, rel: str, line: int | None, problems: Problems) -> bool:
    """Per applicant column: 一 + 二 = 三（七）总计 + 四. A mismatch is an error naming the rows and the column."""
    results = results_total(requests)
    ok = True
    for i, column in enumerate(APPLICANTS):
        have = requests["received"][i] + requests["carried_over"][i]
        done = results[i] + requests["carried_forward"][i]
        if have != done:
            ok = False
            problems.error(
                rel, line,
                f"表三“{column}”列数据不平衡：{RECEIVED_LABEL}（{requests['received'][i]}）+ {CARRIED_OVER_LABEL}"
                f"（{requests['carried_over'][i]}）= {have}，但 {RESULTS_LABEL}{RESULTS_TOTAL_LABEL}（{results[i]}）"
                f"+ {CARRIED_FORWARD_LABEL}（{requests['carried_forward'][i]}）= {done}",
                f"核对“{column}”列（各列表的第 {i + 1} 个数）：{RESULTS_LABEL}各行之和加结转下年度，应等于本年新收加上年结转"
                f"（相差 {have - done:+d}）")
    return ok


def load_annual_reports(docs_dir: Path, docs_rel: str, departments: dict, problems: Problems,
                        today: dt.date | None = None) -> list[AnnualReport]:
    """Every report file under content/annual-reports/, checked; the good ones, newest year first, the
    government before the departments (catalogue order). The privacy guard reads every text in them."""
    reports: dict[tuple[int, str], AnnualReport] = {}
    for path in find_report_files(docs_dir):
        rel = f"{docs_rel}/{FOLDER}/{path.name}"
        privacy.check_yaml_file(path, rel, problems, today)
        rep = read_report(path, rel, departments, problems)
        if rep is None:
            continue
        other = reports.get((rep.year, rep.organ))
        if other is not None:
            problems.error(rel, None, f"{rep.year} 年 {rep.organ_name} 的年度报告重复，已有 {other.src}",
                           "每个机关每年只写一个文件：删除其中一个")
            continue
        reports[(rep.year, rep.organ)] = rep
    order = {GOV: -1, **{d: i for i, d in enumerate(departments)}}
    return sorted(reports.values(), key=lambda x: (-x.year, order.get(x.organ, len(order)), x.organ))


def records_organ(organ: str) -> str:
    """The department whose records are the organ's own (gov: the county government's office publishes
    the government's documents on this site)."""
    return GOV_RECORDS_DEPARTMENT if organ == GOV else organ


def normative_count(records, organ: str, year: int) -> int:
    """The organ's records of doc_type 行政规范性文件 made in `year` (成文日期, or the 发布日期 without one)."""
    dep = records_organ(organ)
    return sum(1 for rec in records
               if rec.department == dep and getattr(rec, "doc_type", "") == NORMATIVE
               and (rec.written.year if rec.written else rec.date.year) == year)


def check_against_records(reports: list[AnnualReport], records, problems: Problems) -> None:
    """表二 行政规范性文件 本年制发件数 against the site's own records: a difference is a warning."""
    for rep in reports:
        said = rep.proactive["normative_documents"]["issued"]
        found = normative_count(records, rep.organ, rep.year)
        if said != found:
            dep = records_organ(rep.organ)
            problems.warning(
                rep.src, rep.lines.get("proactive.normative_documents.issued"),
                f"表二“{NORMATIVE}”行“本年制发件数”列写的是 {said} 件，但本站 {dep} 发布的 {rep.year} 年"
                f"{NORMATIVE}（doc_type: {NORMATIVE}）有 {found} 件",
                f"核对 proactive.normative_documents.issued；或把漏发的{NORMATIVE}发布到本站（记录写 doc_type: {NORMATIVE}，"
                f"department: {dep}），或给已发布的记录补上 doc_type")
