"""The disclosure catalogue (公开事项目录): domains, departments and items, from catalogue/*.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import charset, frontmatter_help, suggest, yamlsrc
from .problems import Problems, clip
from .sanitize import has_markup, plain_text

MAX_FILE_BYTES = 8 * 1024 * 1024  # a catalogue file (thousands of items are well under 1 MB)

ID_RE = re.compile(r"^[a-z0-9-]+$")
FREQUENCIES = {"on-change": "信息变化时", "monthly": "每月", "quarterly": "每季度", "yearly": "每年"}
AUDIENCES = ("全社会", "特定群体")
MODES = ("主动", "依申请")
CHANNELS = (
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
    "政务服务中心", "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送", "其他",
)


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    code: str = ""
    domains: tuple[str, ...] = ()
    # 政策咨询 contact (政策文件库, docs/policy-library.md): shown on its page and its policy documents
    phone: str = ""
    address: str = ""
    hours: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    domain: str
    name: str
    frequency: str
    departments: tuple[str, ...]
    group: str = ""
    content: str = ""
    basis: str = ""
    time_limit: str = ""
    channels: tuple[str, ...] = ()
    audience: str = ""
    mode: str = ""
    levels: tuple[str, ...] = ()

    @property
    def frequency_label(self) -> str:
        return FREQUENCIES.get(self.frequency, self.frequency)


@dataclass
class Catalogue:
    domains: dict[str, Domain] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    # 重大建设项目 and 重点工作任务: catalogue/projects.yml, catalogue/tasks.yml (sources/projects.py, sources/tasks.py)
    projects: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------------


def as_text(entry, key: str, rel: str, problems: Problems, required: bool = False) -> str:
    value = entry.get(key)
    if value is None or value == "":
        if required:
            problems.error(rel, entry.line, f"缺少必填字段 {key}", f"请在这一条中加上“{key}: …”")
        return ""
    if not isinstance(value, str):
        problems.error(rel, entry.line_of(key), f"字段 {key} 应是一段文字，而不是列表或映射",
                       f"写成“{key}: 文字”；文字中有冒号时整体加引号")
        return ""
    if has_markup(value):  # the one sanitization policy (sanitize.py): catalogue text is plain text
        value = plain_text(value)
        problems.warning(rel, entry.line_of(key) or entry.line, f"字段 {key} 中的 HTML 标记或注释不会发布，只保留其中的文字",
                         f"{key} 只写纯文字；内部意见不要写进目录文件")
        if required and not value.strip():
            problems.error(rel, entry.line_of(key) or entry.line, f"字段 {key} 除去 HTML 标记后没有文字",
                           f"请写出{key}的文字")
    return value.strip()


def as_list(entry, key: str, rel: str, problems: Problems, required: bool = False) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None or value == "" or value == []:
        if required:
            problems.error(rel, entry.line, f"缺少必填字段 {key}", f"请写成列表，例如“{key}: [a, b]”")
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    problems.error(rel, entry.line_of(key), f"字段 {key} 应是文字列表", f"例如“{key}: [a, b]”")
    return ()


def read_entries(path: Path, rel: str, problems: Problems, doc: str = "docs/formats.md",
                 example: str = "- id: fiscal") -> list:
    """The mappings of a catalogue file that is a YAML list (domains, departments, items, and the columns'
    gazette.yml, projects.yml, tasks.yml, datasets.yml), each with its lines; every problem reported with
    the file and line and what to do (`doc`: where the format is described, `example`: an entry's first line)."""
    if not path.is_file():
        problems.error(rel, None, "找不到目录文件", f"请创建 {rel}（格式见 {doc}）")
        return []
    text = charset.read_text_file(path, rel, problems, MAX_FILE_BYTES, "目录文件",
                                  "目录文件只写 id、名称等简短条目；请检查是否误粘贴了大段内容")
    if text is None:
        return []
    try:
        data, fixes = yamlsrc.load_repaired(text)
    except yamlsrc.YamlError as exc:
        frontmatter_help.report(exc.fixes, rel, problems, "")
        problems.error(rel, exc.line, f"YAML 格式错误：{exc.message}", exc.hint or "检查缩进、冒号后的空格和引号是否成对")
        return []
    frontmatter_help.report(fixes, rel, problems, "")
    if data is None:
        return []
    if not isinstance(data, list):
        problems.error(rel, getattr(data, "line", 1), "文件顶层应是以“- ”开头的列表",
                       f"每一项以“{example}”开头，格式见 {doc}")
        return []
    good = []
    for entry, line in zip(data, data.lines):
        if not isinstance(entry, dict):
            problems.error(rel, line, "列表中的每一项应是“键: 值”映射", f"例如“{example}”，下一行缩进两格写下一个字段")
        else:
            good.append(entry)
    return good


def check_id(entry, rel: str, problems: Problems, seen: dict[str, int], kind: str) -> str | None:
    ident = as_text(entry, "id", rel, problems, required=True)
    if not ident:
        return None
    if not ID_RE.match(ident):
        problems.error(rel, entry.line_of("id"), f"{kind} id “{ident}”只能包含小写字母、数字和连字符",
                       "id 会用在网址和订阅源中，例如 fiscal 或 social-assistance")
        return None
    if ident in seen:
        problems.error(rel, entry.line_of("id"), f"{kind} id “{ident}”重复（第 {seen[ident]} 行已使用）",
                       "每个 id 必须唯一")
        return None
    seen[ident] = entry.line_of("id")
    return ident


def load_catalogue(catalogue_dir: Path, rel_prefix: str = "catalogue") -> tuple[Catalogue, Problems]:
    """Read domains.yml, departments.yml and items.yml; every problem is collected."""
    problems = Problems()
    cat = Catalogue()

    rel = f"{rel_prefix}/domains.yml"
    seen: dict[str, int] = {}
    for e in read_entries(catalogue_dir / "domains.yml", rel, problems):
        ident = check_id(e, rel, problems, seen, "重点领域")
        name = as_text(e, "name", rel, problems, required=True)
        desc = as_text(e, "description", rel, problems)
        if ident and name:
            cat.domains[ident] = Domain(ident, name, desc)

    rel = f"{rel_prefix}/departments.yml"
    seen = {}
    for e in read_entries(catalogue_dir / "departments.yml", rel, problems):
        ident = check_id(e, rel, problems, seen, "发布机构")
        name = as_text(e, "name", rel, problems, required=True)
        code = as_text(e, "code", rel, problems)
        domains = as_list(e, "domains", rel, problems, required=True)
        for d in domains:
            if d not in cat.domains:
                problems.error(rel, e.line_of("domains"), f"发布机构“{name or ident}”的责任领域“{d}”不存在",
                               known("重点领域", cat.domains, d))
        phone = as_text(e, "phone", rel, problems)
        check_phone(phone, rel, e.line_of("phone"), problems)
        if ident and name:
            cat.departments[ident] = Department(ident, name, code, domains, phone=phone,
                                                address=as_text(e, "address", rel, problems),
                                                hours=as_text(e, "hours", rel, problems))

    rel = f"{rel_prefix}/items.yml"
    seen = {}
    for e in read_entries(catalogue_dir / "items.yml", rel, problems):
        ident = check_id(e, rel, problems, seen, "公开事项")
        domain = as_text(e, "domain", rel, problems, required=True)
        name = as_text(e, "name", rel, problems, required=True)
        frequency = as_text(e, "frequency", rel, problems, required=True)
        departments = as_list(e, "departments", rel, problems, required=True)
        if domain and domain not in cat.domains:
            problems.error(rel, e.line_of("domain"), f"公开事项“{name or ident}”的领域“{domain}”不存在",
                           known("重点领域", cat.domains, domain))
        if frequency and frequency not in FREQUENCIES:
            problems.error(rel, e.line_of("frequency"), f"更新频率“{frequency}”无法识别",
                           "只能是 on-change、monthly、quarterly 或 yearly")
        for dep in departments:
            if dep not in cat.departments:
                problems.error(rel, e.line_of("departments"), f"公开主体“{dep}”不存在",
                               known("发布机构", cat.departments, dep))
            elif domain and domain not in cat.departments[dep].domains:
                problems.warning(rel, e.line_of("departments"),
                                 f"公开主体“{cat.departments[dep].name}”的责任清单中没有领域“{domain}”",
                                 f"在 departments.yml 中为 {dep} 的 domains 加上 {domain}，或更正公开主体")
        channels = as_list(e, "channels", rel, problems)
        for ch in channels:
            if ch not in CHANNELS:
                problems.warning(rel, e.line_of("channels"), f"公开渠道“{ch}”不在标准目录的渠道列表中",
                                 "标准渠道：" + "、".join(CHANNELS))
        audience = as_text(e, "audience", rel, problems)
        if audience and audience not in AUDIENCES:
            problems.warning(rel, e.line_of("audience"), f"公开对象“{audience}”无法识别", "应为 全社会 或 特定群体")
        mode = as_text(e, "mode", rel, problems)
        if mode and mode not in MODES:
            problems.warning(rel, e.line_of("mode"), f"公开方式“{mode}”无法识别", "应为 主动 或 依申请")
        if ident and domain in cat.domains and name and frequency in FREQUENCIES:
            cat.items[ident] = Item(
                id=ident, domain=domain, name=name, frequency=frequency,
                departments=tuple(d for d in departments if d in cat.departments),
                group=as_text(e, "group", rel, problems), content=as_text(e, "content", rel, problems),
                basis=as_text(e, "basis", rel, problems), time_limit=as_text(e, "time_limit", rel, problems),
                channels=channels, audience=audience, mode=mode,
                levels=as_list(e, "levels", rel, problems),
            )
    return cat, problems


# 政策咨询电话 (政策文件库, docs/policy-library.md): a public office line, never a person's mobile
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
PHONE_RE = re.compile(r"^[0-9０-９()（）+\-－—、，,/ 转]+$")


def check_phone(phone: str, rel: str, line: int | None, problems: Problems) -> None:
    """A department's 政策咨询电话: a landline written in digits, never a mobile number."""
    if not phone:
        return
    if MOBILE_RE.search(phone.replace(" ", "").replace("-", "")):
        problems.error(rel, line, f"政策咨询电话“{clip(phone)}”是手机号码",
                       "phone 只填公开的办公固定电话（例如 0519-86600126），不要填个人手机")
    elif not PHONE_RE.match(phone):
        problems.warning(rel, line, f"政策咨询电话“{clip(phone)}”含有数字和连字符以外的文字",
                         "phone 只写电话号码，例如 0519-86600126；多个号码用顿号分隔")


def known(kind: str, table: dict, value: str = "") -> str:
    names = ", ".join(sorted(table))
    if len(names) > 300:
        names = names[:300] + " …"
    rest = f"已定义的{kind} id：{names}" if names else f"目录中还没有定义任何{kind}"
    return suggest.with_suggestion(value, {k: v.name for k, v in table.items()}, rest)


# for the readers of the other catalogue files (sources/projects.py, sources/tasks.py)
