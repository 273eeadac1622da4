"""What decides a cached piece of output, as a hash: a record body's HTML (markdown_fingerprint, body_key),
every page (build_fingerprint: versions, templates, our code, config, nav, catalogue) and one page's own
inputs (input_fingerprint over its template context). The caches (caches.py) are keyed by these; a
cached build is byte-identical to a fresh one (tests/test_render.py)."""

from __future__ import annotations

import hashlib
import os
import re
from importlib import metadata

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
    """Every other plugin in the config: its name, its distribution's name and version, its options.
    Their page events run on our pages (render/pool.py), so upgrading one renews the caches."""
    dists = None  # scanning every installed distribution takes ~0.4 s: only when another plugin is there
    out = []
    for name, plugin in config.plugins.items():
        top = type(plugin).__module__.split(".")[0]
        if top == __name__.split(".")[0]:
            continue
        if dists is None:
            dists = metadata.packages_distributions()
        versions = []
        for dist in dists.get(top, ()):
            try:
                versions.append(f"{dist}={metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{dist}=-")
        out.append((name, sorted(versions), _ADDRESS.sub("", repr(sorted(getattr(plugin, "config", {}).items())))))
    return out


def build_fingerprint(config, nav, extra) -> str:
    """Everything every page depends on: versions, templates and our code, config, nav, catalogue."""
    parts = [CACHE_VERSION, markdown_fingerprint(config)]
    for dist in ("mkdocs", "properdocs", "mkdocs-material", "jinja2", "markupsafe"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    # our code; the index builder's output has its own cache (outputs/search/build.py)
    parts.append(code_version(".", exclude=("outputs/search",)))
    for root in config.theme.dirs:
        for folder, subdirs, names in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d != ".icons")  # thousands of SVGs, versioned above
            for name in sorted(names):
                if os.path.splitext(name)[1] in _TEMPLATE_SUFFIXES:
                    st = os.stat(os.path.join(folder, name))
                    parts.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
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
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


class Uncacheable(Exception):
    pass


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def fp_value(value, _depth: int = 0, memo: dict | None = None):
    """A stable, compact description of a template-context value (the page cache's key material).

    `memo` (id → (value, digest)), shared by the caller across a build's pages, keeps the digest of each
    record and frozen catalogue entry described once; it holds the values, so no id is reused meanwhile."""
    if memo is None:
        memo = {}
    if _depth > 12:
        raise Uncacheable("too deep")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    known = memo.get(id(value))  # records and catalogue entries, described before
    if known is not None:
        return known[1]
    if isinstance(value, (list, tuple)):
        # a listing's records: described already (the memo), without a call each
        return [v if v is None or v.__class__ is str else (memo.get(id(v)) or (None, None))[1]
                or fp_value(v, _depth + 1, memo) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(fp_value(v, _depth + 1, memo)) for v in value)
    if isinstance(value, dict):
        return [(str(k), fp_value(v, _depth + 1, memo)) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))]
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
            digest = hashlib.sha256(repr(described).encode("utf-8")).hexdigest()
            memo[id(value)] = (value, digest)
            return digest
        return described
    text = repr(value)
    if _ADDRESS.search(text):
        raise Uncacheable(type(value).__name__)
    return text


def input_fingerprint(build_fp: str, src: str, meta: dict, body_key: str | None, data,
                      memo: dict | None = None) -> str | None:
    """Everything one page shows besides what every page shows (build_fp): its meta, its body, and
    the data its template gets (a record's context, a listing's records). Pass one `memo` for all the
    pages of a build (see fp_value)."""
    try:
        parts = [build_fp, src, fp_value(meta, 0, memo), body_key, fp_value(data, 0, memo)]
    except Uncacheable:
        return None
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def markdown_fingerprint(config) -> str:
    """What, besides the body, decides a body's HTML: extensions, their options, library versions."""
    options = sorted((config.mdx_configs or {}).items(), key=lambda kv: kv[0])
    # options may hold functions (a toc slugify): their repr carries a memory address
    parts = [CACHE_VERSION, repr(config.markdown_extensions), _ADDRESS.sub("", repr(options))]
    parts.append(host_name())  # the host that renders (MkDocs or ProperDocs) and its version
    parts.append(repr(plugin_versions(config)))  # other plugins' page events change bodies too
    for dist in ("markdown", "mkdocs", "properdocs", "pymdown-extensions", "nh3"):
        try:
            parts.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist}=-")
    parts.append(str(config.use_directory_urls))
    # the code that shapes a body
    parts.append(code_version("render/bodies.py", "sources/sanitize.py", "render/feedhtml.py", "sources/records.py",
                              "render/tables.py"))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def body_key(fingerprint: str, src_uri: str, body: str, files_fingerprint: str) -> str:
    """Bodies that link to other .md files also depend on which files exist (MkDocs rewrites them)."""
    h = hashlib.sha256()
    for part in (fingerprint, src_uri, body, files_fingerprint if _MD_LINK.search(body) else ""):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
