"""Page chrome rendered once per folder (the template global `dx_once`).

Most of Material's chrome (stylesheets, scripts, its configuration, the header's logo and search box,
the footer) is the same on every page of a folder: it depends on the build's configuration and on the
page's relative path to the site root, nothing else. Templates wrap such a part as

    {% call dx_once("styles") %}…{% endcall %}

and it is rendered for the first page of each folder and copied for the others; at 10,000 records that
is ~13,000 renders of each part fewer. A part that depends on anything else of the page names it as an
extra argument (`dx_once("scripts", page.is_homepage)`), which becomes part of the key.

With `use_directory_urls` every page is its own folder: nothing would be shared, so every part is simply
rendered (and nothing kept).
"""

from __future__ import annotations

import posixpath

from jinja2 import pass_context
from .. import host  # noqa: F401  (first: MkDocs, or ProperDocs behind the mkdocs.* names)
from mkdocs.utils import normalize_url


def once_per_folder(use_directory_urls: bool):
    """A fresh `dx_once` for one build (its memory lives as long as the build's environment)."""
    memo: dict = {}

    @pass_context
    def dx_once(context, name, *extra, caller):
        page = context.get("page")
        url = getattr(page, "url", None)
        if use_directory_urls or url is None:
            return caller()
        # base_url too: 404.html sits in the root folder but links from the site's absolute root
        key = (name, posixpath.dirname(url), context.get("base_url"), extra)
        out = memo.get(key)
        if out is None:
            out = memo[key] = caller()
        return out

    return dx_once


URL_MEMO_MAX = 200_000  # entries (~40 MB) before the memo starts over


def url_filter():
    """MkDocs' `url` filter, each (path, folder) worked out once per build: a page has ~20 links
    through it (assets, listings, breadcrumbs), and a link relative to a page depends only on the
    page's folder (mkdocs.utils.get_relative_url drops a last component that has a dot)."""
    memo: dict = {}

    @pass_context
    def url(context, value):
        page, value = context["page"], str(value)
        if page is None:
            key = (value, None, context["base_url"])
        else:
            other = page.url
            folder, _, last = other.rpartition("/")
            key = (value, folder if "." in last else other)
        out = memo.get(key)
        if out is None:
            if len(memo) >= URL_MEMO_MAX:
                memo.clear()
            out = memo[key] = normalize_url(value, page=page, base=context["base_url"])
        return out

    return url
