"""What decides a cached piece of output, as a hash: a record body's HTML (markdown_fingerprint, body_key),
every page (build_fingerprint: versions, templates, our code, config, nav) and one page's own inputs
(input_fingerprint over its template context, plus the parts of the catalogue its template reads:
ContextReads). The caches (caches.py) are keyed by these; a cached build is byte-identical to a fresh
one (tests/test_render.py, tests/test_cache_guard.py)."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import marshal
import os
import re
import types
from importlib import metadata

from jinja2 import TemplateNotFound, TemplateSyntaxError, nodes

from ..sources.codeversion import code_version

CACHE_VERSION = "3"
_MD_LINK = re.compile(r"\]\([^)]*\.md\b|\]:\s*\S*\.md\b")

_TEMPLATE_SUFFIXES = {".html", ".xml", ".j2", ".jinja", ".py"}
_VOLATILE_CONFIG = {"plugins", "site_dir", "nav", "config_file_path", "watch", "dev_addr"}
# our plugin's build day and report date decide which records are published and each day's statuses
# (意见征集): every page showing either has it in its own context (input_fingerprint), so they are not
# in what every page depends on, and a build on another day reuses the pages that did not change
_DAY_OPTIONS = ("build_date", "report_date")


def host_name() -> str:
    """The host rendering this build and its version ("mkdocs 1.6.1", "properdocs 1.6.7"): both can be
    installed at once, and a cache filled by one is not reused by the other."""
    from .. import host  # a host config is being fingerprinted: the host is loaded already

    return f"{host.NAME} {host.VERSION}"


def plugin_versions(config) -> list[tuple]:
    """Every other plugin in the config: its name, its distribution's name and version, its options, and
    a digest of the file that defines it. Their page events run on our pages (render/pool.py), so
    upgrading one renews the caches, and so does editing a project's `hooks:` file (a module, in no
    distribution) or a plugin installed from a working copy (`pip install -e`: its version stays)."""
    dists = None  # scanning every installed distribution takes ~0.4 s: only when another plugin is there
    out = []
    for name, plugin in config.plugins.items():
        hook = isinstance(plugin, types.ModuleType)  # a `hooks:` file: no distribution, its file says it all
        top = type(plugin).__module__.split(".")[0]
        if top == __name__.split(".")[0]:
            continue
        if dists is None and not hook:
            dists = metadata.packages_distributions()
        versions = []
        for dist in () if hook else dists.get(top, ()):
            try:
                versions.append(f"{dist}={metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{dist}=-")
        out.append((name, sorted(versions), _ADDRESS.sub("", repr(sorted(getattr(plugin, "config", {}).items()))),
                    _source_digest(plugin if hook else type(plugin))))
    return out


def _module_digest(name: str) -> str:
    """The file digest of the module a Markdown extension is named by (`module` or `module:Class`), found
    without running it; "-" when there is none (a short name such as `toc` is Markdown's own)."""
    try:
        spec = importlib.util.find_spec(name.split(":", 1)[0])
    except (ImportError, ValueError):
        return "-"
    return _file_digest(spec.origin if spec and spec.has_location else None)


def _source_digest(obj) -> str:
    """The file digest of what defines a plugin's class or a hook module ("-" when there is none)."""
    try:
        return _file_digest(inspect.getsourcefile(obj))
    except TypeError:  # a built-in
        return "-"


def _file_digest(path: str | None) -> str:
    """SHA-256 (hex) of a file's bytes, "-" without one."""
    try:
        with open(path or "", "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "-"


def build_fingerprint(config, nav, extra) -> str:
    """Everything every page depends on: versions, templates and our code, config, nav and `extra`."""
    parts = [CACHE_VERSION, markdown_fingerprint(config)]
    for dist in ("mkdocs", "properdocs", "mkdocs-material", "jinja2", "markupsafe"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    # our code; the index builder's output has its own cache (outputs/search/build.py)
    parts.append(code_version(".", exclude=("outputs/search",)))
    # templates by their content (a fresh checkout, or a copy, gives every file a new mtime), each
    # theme folder by its place in the search order
    for i, root in enumerate(config.theme.dirs):
        for folder, subdirs, names in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d != ".icons")  # thousands of SVGs, versioned above
            for name in sorted(names):
                if os.path.splitext(name)[1] in _TEMPLATE_SUFFIXES:
                    path = os.path.join(folder, name)
                    with open(path, "rb") as fh:
                        parts.append((i, os.path.relpath(path, root), hashlib.sha256(fh.read()).hexdigest()))
    for key in sorted(config.keys()):
        if key == "theme":  # its repr holds a set, whose order changes from run to run
            theme = config.theme
            parts.append((key, theme.name, list(theme.dirs), sorted(theme.static_templates),
                          _ADDRESS.sub("", repr(sorted((k, theme[k]) for k in theme)))))
        elif key not in _VOLATILE_CONFIG:
            parts.append((key, _ADDRESS.sub("", repr(config[key]))))
    for name, plugin in config.plugins.items():
        options = getattr(plugin, "config", {}).items()
        if type(plugin).__module__.split(".")[0] == __name__.split(".")[0]:
            options = [(k, v) for k, v in options if k not in _DAY_OPTIONS]
        parts.append((name, _ADDRESS.sub("", repr(sorted(options)))))

    def walk(items):
        return [(i.title, getattr(i, "url", None), walk(i.children or [])) for i in items]

    parts.append(walk(nav.items if nav else []))
    parts.append(fp_value(extra))
    return hashlib.sha256(_in_project(repr(parts), config).encode("utf-8")).hexdigest()


def _in_project(text: str, config) -> str:
    """`text` with the project folder's absolute path (the folder of mkdocs.yml; docs_dir, the theme's
    custom_dir) written as <project>: the project's caches stay good when it is moved or copied with
    them (the page cache still checks each cached file's size and mtime before linking it). Pages hold
    no absolute path of the project."""
    if not config.config_file_path:
        return text
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    return text.replace(repr(root)[:-1] + os.sep, "'<project>" + os.sep).replace(repr(root), "'<project>'")


class Uncacheable(Exception):
    pass


class ContextReads:
    """Which parts of one variable of every page's context (the catalogue) a template reads, found in
    the templates' source: `catalogue.departments[r.department].name` reads ("departments", "name"). A page's
    key then holds those parts of the catalogue only, so renaming a 重点领域 re-renders the pages that show
    it, not every page. Everything the template extends, includes or imports counts; a template named at
    run time (Material's `"partials/languages/" ~ lang ~ ".html"`) counts as every template whose name
    starts with the constant part; icons (.icons/, thousands of SVG files) are pictures, not templates
    that read the context. `of` is None when a template uses the variable whole, by a computed key or under
    another name: the page then depends on all of it."""

    def __init__(self, env, variable: str):
        self.env, self.variable = env, variable
        self._own: dict = {}  # template name -> (attributes read or None, names referenced, prefixes referenced)
        self._of: dict = {}
        self._names: list | None = None

    def of(self, name: str) -> frozenset | None:
        if name not in self._of:
            reads: set | None = set()
            todo, seen = [name], set()
            while todo and reads is not None:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                own, refs, prefixes = self._parse(current)
                reads = None if own is None else reads | own
                todo.extend(refs)
                for prefix in prefixes:
                    if not prefix.startswith(_ICONS):
                        todo.extend(n for n in self._all_names() if n.startswith(prefix))
            self._of[name] = None if reads is None else frozenset(reads)
        return self._of[name]

    def _all_names(self) -> list:
        if self._names is None:
            self._names = self.env.list_templates(extensions=("html", "xml", "j2", "jinja"))
        return self._names

    def _parse(self, name: str):
        if name not in self._own:
            try:
                source = self.env.loader.get_source(self.env, name)[0]
            except TemplateNotFound:  # `include … ignore missing`; a missing template reads nothing
                self._own[name] = (set(), [], [])
                return self._own[name]
            if self.variable not in source and not _REFERENCE.search(source):  # reads nothing, names no template
                self._own[name] = (set(), [], [])
                return self._own[name]
            try:
                tree = self.env.parse(source)
            except TemplateSyntaxError:  # rendering it reports the mistake; until then, it may read anything
                self._own[name] = (None, [], [])
                return self._own[name]
            refs, prefixes = [], []
            for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
                names = _template_names(node.template)
                if names is None:
                    prefixes.append(_constant_prefix(node.template))
                else:
                    refs.extend(names)
            own = self._reads(tree) if self.variable in source else set()
            self._own[name] = (own, refs, prefixes)
        return self._own[name]

    def _reads(self, tree) -> set | None:
        """(attribute, field) pairs: `catalogue.departments[x].name` → ("departments", "name"); "" as
        the field when the entries are used otherwise (`catalogue.departments[x]`, a loop over them)."""
        out: set = set()
        todo = [tree]
        while todo:
            node = todo.pop()
            for child in node.iter_child_nodes():
                attr = self._attribute(child)
                if attr is not None:  # catalogue.<attr>, catalogue["<attr>"]
                    out.add((attr, ""))
                    continue
                if (isinstance(child, nodes.Getattr) and isinstance(child.node, nodes.Getitem)
                        and self._attribute(child.node.node) is not None):  # catalogue.<attr>[key].<field>
                    out.add((self._attribute(child.node.node), child.attr))
                    todo.append(child.node.arg)
                    continue
                if isinstance(child, nodes.Name) and child.name == self.variable:
                    return None  # the whole variable, by a computed key, or assigned
                todo.append(child)
        return out

    def _attribute(self, node) -> str | None:
        inner = getattr(node, "node", None)
        if not (isinstance(inner, nodes.Name) and inner.name == self.variable):
            return None
        if isinstance(node, nodes.Getattr):
            return node.attr
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return node.arg.value
        return None


_ICONS = ".icons/"
_REFERENCE = re.compile(r"\{%-?\s*(?:extends|include|import|from)\b")


def reads_json(env, variable: str, templates: list[str]) -> bytes:
    """{template: the [attribute, field] pairs of `variable` it reads (ContextReads), or null for all of
    it}, as JSON (kept between builds under the build fingerprint, which covers every template's source:
    parsing them costs ~0.1 s)."""
    reads = ContextReads(env, variable)
    return json.dumps({t: None if reads.of(t) is None else sorted(reads.of(t)) for t in templates},
                      ensure_ascii=False, sort_keys=True).encode("utf-8")


class Shares:
    """Each page's share of a context variable every page gets (the catalogue): the descriptions of the
    parts its template reads (reads_json), each made once per build. A template that reads only the
    departments' names does not depend on their phone numbers."""

    def __init__(self, value, reads: dict, memo: dict | None = None):
        self.value, self.reads, self.memo = value, reads, memo
        self._made: dict = {}

    def of(self, template: str):
        pairs = self.reads.get(template, None)
        key = None if pairs is None else tuple(tuple(p) for p in pairs)
        if key not in self._made:
            parts = self.value if key is None else [(a, f, self._part(a, f)) for a, f in key]
            self._made[key] = digest_of_described(fp_value(parts, 0, self.memo))
        return self._made[key]

    def _part(self, attr: str, field: str):
        entries = getattr(self.value, attr, None)
        if not field or not isinstance(entries, dict) or not all(hasattr(v, field) for v in entries.values()):
            return entries  # (Jinja would read a missing attribute as an item: the whole entries then)
        return [(k, getattr(v, field, None)) for k, v in entries.items()]


def _template_names(expr) -> list | None:
    """The names a template reference can take, when they are written out; None when computed."""
    if isinstance(expr, nodes.Const):
        value = expr.value
        return [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else None
    if isinstance(expr, (nodes.List, nodes.Tuple)) and all(isinstance(i, nodes.Const) for i in expr.items):
        return [i.value for i in expr.items]
    return None


def _constant_prefix(expr) -> str:
    """`".icons/" ~ icon ~ ".svg"` → ".icons/"; "" (any template) when it does not start with a constant."""
    while True:
        if isinstance(expr, nodes.Concat) and expr.nodes:
            expr = expr.nodes[0]
        elif isinstance(expr, nodes.Add):
            expr = expr.left
        elif isinstance(expr, nodes.Const) and isinstance(expr.value, str):
            return expr.value
        else:
            return ""


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


_PLAIN = frozenset((str, int, float, bool, type(None)))  # described as themselves
_UNKNOWN = (None, None)


def fp_value(value, _depth: int = 0, memo: dict | None = None):
    """A stable, compact description of a template-context value (the page cache's key material).

    `memo` (id → (value, digest)), shared by the caller across a build's pages, keeps the digest of each
    record and frozen catalogue entry described once; it holds the values, so no id is reused meanwhile.
    A page's context holds ~25 values, 14,000 pages at 10,000 records: plain values and described ones
    are taken without a call (the comprehensions below)."""
    if value.__class__ in _PLAIN:
        return value
    if memo is None:
        memo = {}
    if _depth > 12:
        raise Uncacheable("too deep")
    known = memo.get(id(value))  # records and catalogue entries, described before
    if known is not None:
        return known[1]
    if isinstance(value, (list, tuple)):
        return [v if v.__class__ in _PLAIN else (memo.get(id(v)) or _UNKNOWN)[1] or fp_value(v, _depth + 1, memo)
                for v in value]
    if isinstance(value, dict):
        try:
            items = sorted(value.items(), key=_first)
        except TypeError:  # keys of several kinds
            items = sorted(value.items(), key=_first_text)
        return [(str(k), v if v.__class__ in _PLAIN else (memo.get(id(v)) or _UNKNOWN)[1]
                 or fp_value(v, _depth + 1, memo)) for k, v in items]
    if value is None or isinstance(value, (str, int, float, bool)):  # their subclasses: Markup …
        return value
    if isinstance(value, (set, frozenset)):
        return sorted(repr(fp_value(v, _depth + 1, memo)) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    # below, a described record or frozen catalogue entry keeps its description (the memo, read above)
    if hasattr(value, "cache_fingerprint"):
        # records appear in many listings: describe each once per build
        described = repr((type(value).__name__, value.cache_fingerprint()))  # plain values: repr is stable
        if _ADDRESS.search(described) or "{" in described and "set(" in described:
            described = repr([type(value).__name__, fp_value(value.cache_fingerprint(), _depth + 1, memo)])
        digest = hashlib.sha256(described.encode("utf-8")).hexdigest()
        memo[id(value)] = (value, digest)
        return digest
    if hasattr(value, "__dataclass_fields__"):
        # catalogue entries (frozen) appear in every page's context: describe each once per build
        frozen = value.__dataclass_params__.frozen
        described = [type(value).__name__] + [fp_value(getattr(value, f), _depth + 1, memo)
                                              for f in value.__dataclass_fields__]
        if frozen:
            digest = digest_of_described(described)
            memo[id(value)] = (value, digest)
            return digest
        return described
    text = repr(value)
    if _ADDRESS.search(text):
        raise Uncacheable(type(value).__name__)
    return text


def _first(pair):
    return pair[0]


def _first_text(pair):
    return str(pair[0])


def world(build_fp: str, plan_inputs, memo: dict | None = None) -> str | None:
    """What every page's key material but its body is made of: what every page shows (build_fp) and
    the inputs of the plan (Project.plan_inputs and the site's options), whose output is every page's
    context. None when a value cannot be described."""
    try:
        return digest_of_described([build_fp, fp_value(plan_inputs, 0, memo)])
    except Uncacheable:
        return None


def with_body(key: str | None, body_key: str | None) -> str | None:
    """A page's key: its key material but the body (input_fingerprint without one) and its body's key."""
    if key is None or body_key is None:
        return key
    return hashlib.sha256(f"{key}\0{body_key}".encode("utf-8")).hexdigest()


def input_fingerprint(build_fp: str, src: str, meta: dict, body_key: str | None, data,
                      memo: dict | None = None) -> str | None:
    """Everything one page shows besides what every page shows (build_fp): its meta, its body, and
    the data its template gets (a record's context, a listing's records). Pass one `memo` for all the
    pages of a build (see fp_value)."""
    try:
        parts = [build_fp, src, fp_value(meta, 0, memo), body_key, fp_value(data, 0, memo)]
    except Uncacheable:
        return None
    return digest_of_described(parts)


def digest_of_described(described) -> str:
    """SHA-256 (hex) of what fp_value made (str, int, float, bool and None in lists and tuples), over its
    bytes in marshal's format 2: equal values give equal bytes (format 2 has no back references and no
    interning flag; those came with format 3), in a third of repr's time; a page's key material is ~1.5 kB,
    14,000 pages at 10,000 records. What marshal refuses (a str subclass: Markup) is described by repr."""
    try:
        data = b"m" + marshal.dumps(described, 2)
    except ValueError:
        data = b"r" + repr(described).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def markdown_fingerprint(config) -> str:
    """What, besides the body, decides a body's HTML: extensions, their options, library versions."""
    options = sorted((config.mdx_configs or {}).items(), key=lambda kv: kv[0])
    # options may hold functions (a toc slugify): their repr carries a memory address
    parts = [CACHE_VERSION, repr(config.markdown_extensions), _ADDRESS.sub("", repr(options))]
    # a project's own extension (its Python on the path, or installed from a working copy) changes with
    # its file, not with a version
    parts.append(repr([_module_digest(name) for name in config.markdown_extensions if isinstance(name, str)]))
    parts.append(host_name())  # the host that renders (MkDocs or ProperDocs) and its version
    parts.append(repr(plugin_versions(config)))  # other plugins' page events change bodies too
    for dist in ("markdown", "mkdocs", "properdocs", "pymdown-extensions", "nh3"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    parts.append(str(config.use_directory_urls))
    # the levels MkDocs logs a body's links at (validation.links): a body's warnings are kept with it and
    # said again whenever it is reused, so asking for warnings (or turning them down) renders bodies again
    parts.append(repr(config.get("validation")))
    # the code that shapes a body
    parts.append(code_version("render/bodies.py", "sources/sanitize.py", "render/feedhtml.py", "sources/records.py",
                              "sources/autolink.py", "render/tables.py"))
    return hashlib.sha256(_in_project("\n".join(parts), config).encode()).hexdigest()


def body_key(fingerprint: str, src_uri: str, body: str, files_fingerprint: str, body_digest: str | None = None,
             mentions_md: bool | None = None, present: tuple[str, ...] = ()) -> str:
    """Bodies that link to other .md files also depend on which files exist (MkDocs rewrites them).
    `body_digest`: SHA-256 (hex) of the body's UTF-8, and `mentions_md`: whether ".md" is in it, when
    known (Record.body_digest, Record.mentions_md); with both known and `mentions_md` false, `body` is
    not read. `present`: the files the body links to or shows that the site has (of Record.links): MkDocs
    rewrites a link to a file it has and leaves one to a file it lacks, which with `use_directory_urls`
    differ (`files/a.pdf` becomes `../files/a.pdf`), so a file added after the body was cached renders it
    again."""
    if body_digest is None:
        body_digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    if mentions_md is None:
        mentions_md = ".md" in body
    h = hashlib.sha256()
    for part in (fingerprint, src_uri, body_digest,
                 files_fingerprint if mentions_md and _MD_LINK.search(body) else "", "\n".join(present)):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
