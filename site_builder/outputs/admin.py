"""The editors' web form (`admin/` in the built site): Decap CMS over git, configured from the catalogue.

Editors are department staff: they fill in a form instead of writing YAML. The form is Decap CMS
(vendored from the npm registry, pinned in package.json / package-lock.json, copied from
node_modules at build time); its configuration (`admin/config.yml`) is generated here from the
catalogue, so every id is a choice with its Chinese name and nothing the form writes can name an
id the catalogue lacks.

- One collection per department (发布机构), over that department's folder `content/records/<id>/`
  (where `disclosure new` puts its records). Decap has no dependent selects; a collection per
  department gives the same thing without custom code: 所属领域 offers only the department's
  domains (its 责任清单), 公开事项 only the items it publishes, 发布机构 only itself.
- Attachments upload into the record's own `files/` folder (`media_folder: files`, relative to
  the entry), and the front matter gets `path: files/<name>`, as docs/formats.md writes it.
- 索引号 is shown, never typed: a new record is saved without one and `disclosure check --fix`
  (fix.py; run by `disclosure admin` after each save, or by a CI step) allocates the next number.
- The form offers exactly the record fields the builder reads (records.KNOWN_KEYS); a contract
  field the builder does not read yet gets its widget as soon as it does (see FIELD_ORDER).

Pure: catalogue and options in, plain data and text out. The plugin writes the files.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..render.caches import link_or_copy
from ..sources.catalogue import Catalogue, Department
from ..sources.projects import STAGES
from ..sources.tasks import TASK_STATUSES

ADMIN_DIR = "admin"
SCRIPT_ASSET = "assets/admin.js"  # theme/assets/admin.js: widgets, preview (never in kiosk copies)
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
DECAP_SCRIPT = "decap-cms.js"
DEFAULT_PROXY_PORT = 8081  # decap-server's default port
LOCALE = "zh_Hans"

VALIDITIES = ("有效", "失效", "废止")
DOC_TYPES = ("规章", "行政规范性文件", "其他政策文件")
SERVES = ("公民", "法人", "其他组织", "公务员", "全社会")
INDEX_NO_PATTERN = r"^[0-9A-Za-z-]+/\d{4}-\d{3,6}$"

# the hosts a backend's browser side talks to, by Decap backend name (for admin/'s CSP connect-src)
_BACKEND_API = {
    "github": "https://api.github.com",
    "gitlab": "https://gitlab.com",
    "gitea": "https://try.gitea.io",
    "bitbucket": "https://api.bitbucket.org",
    "git-gateway": "",
}


@dataclass(frozen=True)
class AdminSite:
    """What the form needs to know about the site around it."""
    site_name: str
    records_folder: str  # repository-relative posix path of the records (content/records)
    backend: dict  # Decap `backend:` for the hosted site (GitHub / GitLab / Gitea …); {} = git-gateway
    proxy_port: int = DEFAULT_PROXY_PORT  # decap-server on loopback (local backend)
    site_url: str = ""
    preview_css: tuple[str, ...] = ()  # stylesheets, relative to admin/, the preview pane uses


def _date(label: str, name: str, required: bool, hint: str, default: str | None = None) -> dict:
    field = {"label": label, "name": name, "widget": "datetime", "format": "YYYY-MM-DD",
             "date_format": "YYYY-MM-DD", "time_format": False, "picker_utc": False,
             "required": required, "hint": hint}
    if default is not None:
        field["default"] = default
    return field


def _string(label: str, name: str, hint: str, pattern: tuple[str, str] | None = None) -> dict:
    field = {"label": label, "name": name, "widget": "string", "required": False, "hint": hint}
    if pattern:
        field["pattern"] = list(pattern)
    return field


def _select(label: str, name: str, options: list[dict] | list[str], *, required: bool = False,
            multiple: bool = False, hint: str = "", default=None) -> dict:
    field = {"label": label, "name": name, "widget": "select", "options": options, "required": required,
             "multiple": multiple, "hint": hint}
    if multiple and required:
        field["min"] = 1
    if default is not None:
        field["default"] = default
    return field


def _index_pattern(what: str) -> tuple[str, str]:
    return INDEX_NO_PATTERN, f"{what}写成“机构代码/年份-序号”，例如 011320503/2024-00012"


def record_fields(cat: Catalogue, dep: Department, known_keys: set[str] | frozenset[str]) -> list[dict]:
    """The form of one department's records, in the order the front matter is written."""
    domains = [{"label": cat.domains[d].name, "value": d} for d in dep.domains if d in cat.domains]
    items = [{"label": f"{i.name}（{cat.domains[i.domain].name if i.domain in cat.domains else i.domain}）",
              "value": i.id}
             for i in cat.items.values() if dep.id in i.departments and i.domain in dep.domains]
    every = {
        "title": {"label": "名称（标题）", "name": "title", "widget": "string", "required": True,
                  "hint": "信息的完整名称，例如：云溪县财政局2026年部门预算公开"},
        "index_no": {"label": "索引号", "name": "index_no", "widget": "dx-index-no", "required": False,
                     "hint": "不用填写：保存后由 disclosure check --fix 按发布机构和年度自动分配下一个号，分配后永久不变"},
        "date": _date("发布日期", "date", True, "公开发布的日期（北京时间）", default="{{now}}"),
        "department": _select("发布机构", "department", [{"label": dep.name, "value": dep.id}], required=True,
                              default=dep.id, hint="本栏目只收录本机构发布的信息"),
        "domains": _select("所属领域", "domains", domains, required=True, multiple=True,
                           default=[domains[0]["value"]] if len(domains) == 1 else None,
                           hint=f"只列出{dep.name}责任清单中的重点领域，可多选"),
        "item": _select("公开事项", "item", items,
                        hint="公开事项目录中的哪一项（计入公开事项目录和考核）；只列出本机构负责公开的事项"),
        "tags": {"label": "主题词", "name": "tags", "widget": "list", "required": False,
                 "allow_add": True, "collapsed": False, "add_to_top": False,
                 "hint": "每个主题词单独一行，点“添加”增加一个",
                 "field": {"label": "主题词", "name": "tag", "widget": "string"}},
        "doc_no": _string("文号", "doc_no", "例如 云政办发〔2026〕1号（年份用六角括号〔〕）"),
        "written": _date("成文日期", "written", False, "可不填；不能晚于发布日期"),
        "summary": {"label": "内容概述", "name": "summary", "widget": "text", "required": False,
                    "hint": "一两句话；不填时取正文第一段"},
        "genre": _string("体裁", "genre", "例如 通知、公告、通告、决定、意见、报告、批复、办法、方案、解读"),
        "validity": _select("有效性", "validity", list(VALIDITIES), hint="政策文件填写：有效、失效或废止"),
        "doc_type": _select("文件类型", "doc_type", list(DOC_TYPES), hint="属于政策文件库时选择"),
        "interprets": _string("所解读的政策", "interprets", "本信息是政策解读时，填被解读政策的索引号",
                              _index_pattern("索引号")),
        "replaces": _string("所修订或废止的文件", "replaces", "填被修订或废止文件的索引号", _index_pattern("索引号")),
        "gazette": _string("刊登的政府公报", "gazette", "刊登在哪一期政府公报：填该期的 id（见 catalogue/gazette.yml），例如 2025-03",
                           (r"^\d{4}-\d{2}$", "写成“年份-两位期号”，例如 2025-03")),
        "gazette_section": _string("公报栏目", "gazette_section", "在该期目录中的栏目，例如 县政府文件、部门文件"),
        "subject": _string("主题分类", "subject", "一级\\二级，例如 财政、金融、审计\\财政"),
        "serves": _select("服务对象", "serves", list(SERVES), multiple=True),
        "source": _string("信息来源", "source", "与发布机构不同时填写，例如 县财政局预算股"),
        "pinned": {"label": "置顶", "name": "pinned", "widget": "boolean", "required": False, "default": False,
                   "hint": "长期有效的信息可置顶显示在列表最前"},
        # 意见征集 (docs/consultations.md): the builder checks that all three are there
        "consultation": {"label": "意见征集", "name": "consultation", "widget": "object", "required": False,
                         "collapsed": True,
                         "hint": "征求意见稿才填写：征求意见的起止日期（含首尾两日，一般不少于30日）和反馈意见的方式",
                         "fields": [_date("开始日期", "start", False, "征求意见的第一天"),
                                    _date("截止日期", "end", False, "征求意见的最后一天"),
                                    _string("反馈意见的方式", "respond",
                                            "例如 电子邮件 yjzj@example.gov.cn；信函寄云溪大道1号（电子邮件地址会成为链接）")]},
        "feedback_for": _string("所反馈的征求意见稿", "feedback_for",
                                "本信息是意见采纳情况反馈时，填征求意见稿的索引号", _index_pattern("索引号")),
        "attachments": {"label": "附件", "name": "attachments", "widget": "list", "required": False,
                        "collapsed": False, "summary": "{{fields.title}}",
                        "hint": "上传的文件保存在本记录旁边的 files/ 文件夹中",
                        "fields": [
                            {"label": "附件名称", "name": "title", "widget": "string", "required": True},
                            {"label": "文件", "name": "path", "widget": "file", "required": True,
                             "choose_url": False},
                        ]},
        "body": {"label": "正文", "name": "body", "widget": "markdown", "required": False,
                 "modes": ["rich_text", "raw"],
                 "hint": "不要写入身份证号、手机号、银行卡号等个人信息"},
    }
    every.update(lifecycle_fields(cat, dep))  # 重大建设项目, 重点工作任务: only when the catalogue has them
    return [every[name] for name in FIELD_ORDER if name == "body" or name in known_keys and name in every]


def lifecycle_fields(cat: Catalogue, dep: Department) -> dict:
    """The project and its stage (docs/projects-and-tasks.md), and the tasks the department leads or
    supports, when catalogue/projects.yml and catalogue/tasks.yml have any."""
    out = {}
    if cat.projects:
        out["project"] = _select("建设项目", "project", [{"label": p.name, "value": p.id} for p in cat.projects.values()],
                                 hint="重大建设项目的信息：选择项目，并在下一栏选择阶段（两栏要一起填）")
        out["stage"] = _select("项目阶段", "stage", list(STAGES), hint="项目信息属于八类中的哪一类")
    mine = [t for t in cat.tasks.values() if dep.id in t.lead or dep.id in t.support]
    if mine:
        out["tasks"] = _select("报告的重点工作任务", "tasks", [{"label": f"{t.year}年 {t.task}", "value": t.id} for t in mine],
                               multiple=True, hint="本信息是重点工作任务的落实情况时选择（只列出本机构牵头或配合的任务）")
        out["task_status"] = _select("任务状态", "task_status", list(TASK_STATUSES),
                                     hint="任务已全部完成时选“已完成”；仍在推进的不选")
    return out


# the front matter's order (docs/formats.md's); `body` is the Markdown after it
FIELD_ORDER = ("title", "index_no", "date", "department", "domains", "item", "tags", "doc_no", "written",
               "summary", "genre", "validity", "doc_type", "interprets", "replaces", "gazette", "gazette_section",
               "subject", "serves", "source", "pinned", "consultation", "feedback_for", "project", "stage", "tasks",
               "task_status", "attachments", "body")


def collection_name(dep_id: str) -> str:
    return f"records-{dep_id}"


def cms_config(cat: Catalogue, site: AdminSite, known_keys) -> dict:
    """Decap CMS's config.yml, as data."""
    backend = dict(site.backend) if site.backend else {"name": "git-gateway", "branch": "main"}
    config = {
        "locale": LOCALE,
        "backend": backend,
        # on localhost / 127.0.0.1 only: the decap-server proxy writing into the local checkout
        "local_backend": {"url": f"http://127.0.0.1:{site.proxy_port}/api/v1"},
        "publish_mode": "simple",
        "media_folder": f"{site.records_folder}/files",
        "public_folder": "files",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }
    if site.site_url:
        config["site_url"] = site.site_url
        config["display_url"] = site.site_url
    collections = []
    for dep in cat.departments.values():
        collections.append({
            "name": collection_name(dep.id),
            "label": dep.name,
            "label_singular": f"{dep.name}的公开信息",
            "description": f"{dep.name}发布的政府信息（content/records/{dep.id}/）。",
            "folder": f"{site.records_folder}/{dep.id}",
            "extension": "md",
            "format": "yaml-frontmatter",
            "create": True,
            "delete": False,  # 索引号 are permanent: a record is withdrawn (validity), not deleted
            # <发布日期>-<the title's ASCII words, if any>.md; Decap appends -1, -2 … to a name in use
            "slug": "{{fields.date}}-{{slug}}",
            "identifier_field": "title",
            "summary": "{{date}}　{{title}}",
            "sortable_fields": ["date", "title"],
            "media_folder": "files",
            "public_folder": "files",
            "editor": {"preview": True},
            "fields": record_fields(cat, dep, known_keys),
        })
    config["collections"] = collections
    return config


def config_key(config: dict) -> str:
    """What decides config_yaml's text: the config, this code, PyYAML's version (for caches.made_once:
    dumping took ~70 ms of every build for the sample's catalogue and the benchmark's alike, though the
    catalogue rarely changes)."""
    from ..sources.codeversion import code_version

    parts = [config, code_version("outputs/admin.py"), yaml.__version__, hasattr(yaml, "CSafeDumper")]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=repr).encode("utf-8")).hexdigest()[:32]


def config_yaml(config: dict) -> str:
    head = ("# 由 disclosure 根据公开事项目录（catalogue/*.yml）自动生成，请勿手工修改。\n"
            "# Generated from the catalogue by the disclosure plugin: do not edit.\n")
    # libyaml's emitter when PyYAML has it: the same text in a third of the time (~170 kB at 10,000 records)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return head + yaml.dump(config, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def backend_origins(backend: dict) -> list[str]:
    """The origins the CMS's backend API is reached at (for connect-src)."""
    name = (backend or {}).get("name", "git-gateway")
    found = []
    for key in ("api_root", "base_url", "auth_endpoint"):
        value = str((backend or {}).get(key) or "")
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            found.append(f"{parts.scheme}://{parts.netloc}")
    default = _BACKEND_API.get(name, "")
    if default and not (backend or {}).get("api_root"):
        found.append(default)
    return sorted(set(found))


def content_security_policy(site: AdminSite) -> str:
    """admin/ is an app of its own, not one of the site's pages (whose policy allows no eval and no
    inline style): Decap needs eval (ajv compiles its config schema; without 'unsafe-eval' the page
    stays blank), inline styles (emotion; without them every widget loses its style) and blob: for
    previews of uploads, as measured with tests/test_admin_browser.py, which fails on any CSP
    violation. Scripts still come only from the site itself, and it talks only to the local proxy
    and its git host."""
    connect = ["'self'", "blob:", "data:", f"http://localhost:{site.proxy_port}", f"http://127.0.0.1:{site.proxy_port}",
               *backend_origins(site.backend)]
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https:",
        "font-src 'self' data:",
        "media-src 'self' blob:",
        "frame-src 'self' blob:",
        "worker-src 'self' blob:",
        "connect-src " + " ".join(connect),
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


def index_html(site: AdminSite, collections: list[str]) -> str:
    """admin/index.html: the page that loads Decap and our widgets (no inline script or style)."""
    e = html.escape
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(content_security_policy(site))}">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>信息录入 · {e(site.site_name)}</title>\n"
        "</head>\n<body>\n"
        '<noscript>信息录入页面需要启用 JavaScript。</noscript>\n'
        f'<script src="{DECAP_SCRIPT}"></script>\n'
        f'<script src="../{SCRIPT_ASSET}" id="dx-admin"'
        f' data-preview-css="{e(json.dumps(list(site.preview_css)))}"'
        f' data-collections="{e(json.dumps(collections))}"></script>\n'
        "</body>\n</html>\n"
    )


_DECAP_FILE = re.compile(r"^(decap-cms\.js|\d+\.decap-cms\.js|decap-cms\.js\.LICENSE\.txt|[0-9a-f]+\.wasm)$")


def find_decap(roots: list[Path]) -> Path | None:
    """node_modules/decap-cms/dist under the first root that has it (`npm ci` puts it there)."""
    for root in roots:
        dist = root / DECAP_DIST
        if (dist / DECAP_SCRIPT).is_file():
            return dist
    return None


def write_admin(target: Path, decap_dist: Path, config_text: str, page: str) -> list[str]:
    """Write admin/ into the built site: Decap's bundle (its main script, lazily loaded chunks and
    WebAssembly, no source maps), config.yml and index.html. Returns the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted(decap_dist.iterdir()):
        if _DECAP_FILE.match(src.name):
            # linked where it can be, not written anew into every build's site (6.7 MB): npm replaces
            # its files whole, so a link keeps the bytes it was made with
            link_or_copy(src, target / src.name)
            written.append(src.name)
    (target / "config.yml").write_text(config_text, encoding="utf-8")
    (target / "index.html").write_text(page, encoding="utf-8")
    return written + ["config.yml", "index.html"]
