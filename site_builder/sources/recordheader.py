"""The rest of the standard record header (docs/formats.md; DESIGN “Content model”): 主题分类 `subject`,
服务对象分类 `serves`, 信息来源 `source`, 置顶 `pinned`, and the gazette fields `gazette` and
`gazette_section` (checked against catalogue/gazette.yml by gazette.py). Plain data: front matter in,
field values out, problems with file and line."""

from __future__ import annotations

from . import suggest
from .gazette import issue_label
from .problems import Problems, clip

SERVES = ("公民", "法人", "其他组织", "公务员", "全社会")  # 服务对象分类
# 主题分类, 一级 (the classification of 中国政府网 政府信息公开 and most provincial platforms)
SUBJECTS = (
    "国务院组织机构", "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
    "农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护",
    "科技、教育", "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
    "公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他",
)
KEYS = ("gazette", "gazette_section", "subject", "serves", "source", "pinned")
FIELD_NAMES = {"gazette": "公报 公报期号 政府公报", "gazette_section": "公报栏目 栏目", "subject": "主题分类 分类",
               "serves": "服务对象 服务对象分类", "source": "信息来源 来源", "pinned": "置顶"}
_TRUE = ("true", "yes", "是", "1")
_FALSE = ("false", "no", "否", "0")


def read(meta, rel: str, line, problems: Problems) -> dict:
    """The fields' values for Record(**…); `line(key)` is the line of a key in the file."""
    out: dict = {}

    def text(key: str) -> str:
        value = meta.get(key)
        if value in (None, ""):
            return ""
        if not isinstance(value, str):
            problems.error(rel, line(key), f"字段 {key} 应是一段文字", f"写成“{key}: 文字”，不要用方括号或换行缩进")
            return ""
        return value.strip()

    out["gazette"] = text("gazette")
    out["gazette_section"] = text("gazette_section")
    out["source"] = text("source")
    subject = text("subject")
    if subject:
        parts = [p.strip() for p in subject.split("\\")]
        if len(parts) > 2 or not all(parts):
            problems.error(rel, line("subject"), f"主题分类“{clip(subject)}”格式不对",
                           r"写成“一级分类\二级分类”（中间是一个反斜杠），例如 subject: 财政、金融、审计\财政")
            subject = ""
        elif parts[0] not in SUBJECTS:
            problems.warning(rel, line("subject"), f"主题分类的一级分类“{clip(parts[0])}”不在标准主题分类中",
                             suggest.with_suggestion(parts[0], {s: s for s in SUBJECTS}, "")
                             + "一级分类：" + "、".join(SUBJECTS))
        subject = "\\".join(parts) if subject else ""
    out["subject"] = subject
    serves = meta.get("serves")
    values: tuple[str, ...] = ()
    if serves not in (None, "", []):
        raw = [serves] if isinstance(serves, str) else serves
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            problems.error(rel, line("serves"), "serves 应是服务对象的列表", "例如 serves: [公民, 法人]")
        else:
            for v in raw:
                if v.strip() not in SERVES:
                    problems.error(rel, line("serves"), f"服务对象“{clip(v)}”无法识别",
                                   "只能是 " + "、".join(SERVES) + "，例如 serves: [公民, 法人]")
            values = tuple(dict.fromkeys(v.strip() for v in raw if v.strip() in SERVES))
    out["serves"] = values
    pinned = meta.get("pinned")
    out["pinned"] = False
    if pinned not in (None, ""):
        word = pinned.strip().lower() if isinstance(pinned, str) else ""
        if word in _TRUE:
            out["pinned"] = True
        elif word not in _FALSE:
            problems.error(rel, line("pinned"), f"pinned 应写 true 或 false，而不是“{clip(pinned)}”",
                           "常设信息（办事指南、机构职能等）要在栏目中置顶时写“pinned: true”")
    return out


def search_text(r) -> str:
    """What search should find a record by beyond its own text: its gazette issue (“2025年第3期”) and
    its 主题分类 / 服务对象 (search has no facet for these; the text finds them)."""
    parts = []
    if getattr(r, "gazette", ""):
        parts.append(f"刊登于政府公报{issue_label(r.gazette)}")
    if getattr(r, "subject", ""):
        parts.append("主题分类：" + r.subject.replace("\\", "／"))
    if getattr(r, "serves", ()):
        parts.append("服务对象：" + "、".join(r.serves))
    return "；".join(parts)


def export(r) -> dict:
    """The fields in data/records.json."""
    return {
        "gazette": r.gazette or None,
        "gazette_section": r.gazette_section or None,
        "subject": r.subject or None,
        "serves": list(r.serves),
        "source": r.source or None,
        "pinned": bool(r.pinned),
    }
