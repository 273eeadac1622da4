"""The options of the `disclosure` plugin in mkdocs.yml, as typed MkDocs config classes (the way Material's
own plugins keep theirs in a config.py). Documented for users in docs/options.md."""

from __future__ import annotations

from .. import host  # noqa: F401  (first: MkDocs, or ProperDocs behind the mkdocs.* names)
from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..outputs.admin import DEFAULT_PROXY_PORT
from ..plan.consultations import FEEDBACK_DAYS


class IdentityConfig(Config):
    """The site's identity in every page's footer (identity.py); a field left out is not shown."""
    organizer = c.Optional(c.Type(str))  # 主办单位
    contact = c.Optional(c.Type(str))  # 联系方式 (telephone, e-mail, address: one line)
    site_code = c.Optional(c.Type(str))  # 网站标识码 (10 digits, given by the 政府网站 registry)
    icp = c.Optional(c.Type(str))  # ICP 备案号, e.g. 苏ICP备12345678号: links to beian.miit.gov.cn
    police = c.Optional(c.Type(str))  # 公安机关备案号, e.g. 苏公网安备 32041102000123号
    report_error = c.Type(bool, default=False)  # the 找错 entry of the national 政府网站找错 service


class DisclosureConfig(Config):
    catalogue = c.Type(str, default="catalogue")  # relative to mkdocs.yml
    records_dir = c.Type(str, default="records")  # relative to docs_dir
    page_size = c.Type(int, default=20)
    feed_length = c.Type(int, default=20)  # GOV.UK's feeds carry 20; each item keeps its full text
    feeds = c.Type(bool, default=True)  # RSS feeds, feeds.opml and the 订阅 page; needs site_url
    cache = c.Type(bool, default=True)  # keep rendered record bodies in .cache/ beside mkdocs.yml
    workers = c.Type(int, default=0)  # processes rendering pages; 0 = one per core
    # the build day, YYYY-MM-DD: records dated later are held back (定时发布); default: today (Asia/Shanghai)
    build_date = c.Optional(c.Type(str))
    report_date = c.Optional(c.Type(str))  # 公开情况 "as of" date, YYYY-MM-DD; default: the build day
    kiosk = c.Type(bool, default=False)  # touch-terminal offline copy (查阅点离线版): see kiosk.py
    kiosk_idle_seconds = c.Type(int, default=120)  # back to the home page after this many idle seconds; 0: never
    kiosk_time = c.Optional(c.Type(str))  # the copy's time (ISO 8601) shown as 本地副本，更新于…; default: now
    identity = c.SubConfig(IdentityConfig)  # footer: 主办单位, 联系方式, 网站标识码, 备案号, 找错
    gazette_title = c.Type(str, default="政府公报")  # the gazette's name, e.g. 云溪县人民政府公报 (docs/gazette.md)
    apply_organ = c.Optional(c.Type(str))  # 受理机关 printed on the application form; default: none (blank line)
    admin = c.Type(bool, default=True)  # the editors' web form admin/ (Decap CMS; never in kiosk copies)
    admin_backend = c.Type(dict, default={})  # Decap `backend:` for the hosted form (github / gitlab / gitea …)
    admin_proxy_port = c.Type(int, default=DEFAULT_PROXY_PORT)  # local backend (decap-server) port
    consultation_feedback_days = c.Type(int, default=FEEDBACK_DAYS)  # 意见征集: 公开情况 flags no 采纳情况 this long after the end
