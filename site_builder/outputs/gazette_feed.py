"""The 政府公报 feed: RSS 2.0 with one item per issue (not per record), newest first, its HTML page, and
its entry on the 订阅 page and in feeds.opml (feeds.FeedSet.other). Built with ElementTree as feeds.py
builds the record feeds; every text from content goes through xml_text. Depends on content only: the
same issues and records give the same bytes."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from ..plan import gazette as gplan
from ..plan.index import Index
from ..plan.pages import PageSpec
from ..plan.urls import Links, absolute, site_base
from ..render.feedhtml import xml_text
from ..sources.dates import SHANGHAI
from ..sources.gazette import Issue
from . import feeds

PATH = "feeds/gazette.xml"
PAGE_TEMPLATE = "disclosure/gazette-feed.html"


def feed_info(issues: list[Issue], links: Links, site_name: str, title: str) -> feeds.FeedInfo:
    site = xml_text(site_name).strip() or "政府信息公开"
    name = xml_text(title or gplan.DEFAULT_TITLE)
    return feeds.FeedInfo("gazette", "", "", PATH, name, f"{site} · {name}",
                          f"《{name}》各期：目录、出版日期和全文 PDF", links.gazette(), len(issues),
                          label="政府公报")


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def render(issues: list[Issue], idx: Index, links: Links, site_url: str, info: feeds.FeedInfo,
           length: int = feeds.DEFAULT_LENGTH) -> bytes:
    """The feed's bytes: the newest `length` issues, each with its 目录 as text and its PDF as enclosure."""
    base = site_base(site_url)
    by_issue = gplan.carried(issues, idx)
    rss = ET.Element("rss", {"version": "2.0"})
    ch = _sub(rss, "channel")
    _sub(ch, "title", info.title)
    _sub(ch, "link", absolute(base, info.page))
    _sub(ch, "description", info.description)
    _sub(ch, "language", "zh-CN")
    _sub(ch, f"{{{feeds.ATOM_NS}}}link", href=absolute(base, info.path), rel="self", type="application/rss+xml")
    shown = list(reversed(issues))[:max(0, length)]
    if shown:
        _sub(ch, "lastBuildDate", format_datetime(_moment(shown[0].date)))
    for issue in shown:
        item = _sub(ch, "item")
        total = f"（总第{issue.total}期）" if issue.total else ""
        _sub(item, "title", f"{info.name} {issue.label}{total}")
        url = absolute(base, links.gazette_issue(issue.id))
        _sub(item, "link", url)
        _sub(item, "guid", url, isPermaLink="true")
        _sub(item, "pubDate", format_datetime(_moment(issue.date)))
        _sub(item, "description", describe(issue, by_issue[issue.id]))
        _sub(item, "category", "政府公报", domain=absolute(base, links.gazette()))
        if issue.pdf:
            _sub(item, "enclosure", url=absolute(base, issue.pdf), length=str(issue.pdf_size), type="application/pdf")
    ET.indent(rss, space=" ")
    css = "../assets/feed.css"  # feeds/gazette.xml → assets/feed.css, as the record feeds
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<?xml-stylesheet type="text/css" href="{css}"?>\n'
    return (head + ET.tostring(rss, encoding="unicode") + "\n").encode("utf-8")


def describe(issue: Issue, records) -> str:
    """The issue's 目录 as one paragraph of text: “县政府文件：甲；乙。部门文件：丙。”"""
    parts = []
    for section, recs in gplan.contents(issue, records):
        titles = "；".join(r.title for r in recs)
        parts.append(f"{section}：{titles}。" if section else f"{titles}。")
    text = "".join(parts) or "本期目录见全文 PDF。"
    return f"{issue.date.year}年{issue.date.month}月{issue.date.day}日出版。{text}"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def page_spec(issues: list[Issue], info: feeds.FeedInfo, links: Links, site_url: str,
              length: int = feeds.DEFAULT_LENGTH) -> PageSpec:
    """The feed's HTML page (feeds/gazette.html), where the 订阅 buttons lead."""
    by_issue = {i.id: [] for i in issues}
    return PageSpec(info.page_src, f"订阅：{info.name}", PAGE_TEMPLATE, "feed", info.path, context={
        "feed": info,
        "xml_url": absolute(site_base(site_url), info.path),
        "issues": [gplan.row(i, by_issue[i.id], links) for i in reversed(issues)][:max(0, length)],
        "subscribe": feeds.SUBSCRIBE_SRC,
        "opml": feeds.OPML_PATH,
    }, feed=info.path)
