"""Links to a place on a page (`page.md#…`, `#…`) that the page does not have: the reader lands at
its top. MkDocs checks such links only between the pages it renders itself (and says so in English,
as information); a record's page is rendered by the plugin (render/pool.py), so nothing said it for a
link from or to one. Every page's are checked here, after the build, against the ids of the page as
built (headings, and whatever else the page's template gives an id). Few bodies link to a place
(Record.links_to_place finds them without reading the others), and only their targets are read.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from ..sources import boundary

_ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")


def ids_in(page: str) -> set[str]:
    """The ids of an HTML page's elements."""
    return {html.unescape(a or b or c) for a, b, c in _ID.findall(page)}


@dataclass(frozen=True)
class MissingPlace:
    source: str  # the page the link is on, by its path in the content folder
    line: int
    written: str  # the link as written
    target: str  # the page it goes to
    place: str  # what follows its #, decoded


def missing_places(bodies: Iterable[tuple[str, str, int]],
                   ids_of: Callable[[str], set[str] | None]) -> list[MissingPlace]:
    """The links to a place their page does not have. `bodies`: (path, Markdown body, its first line) of
    the pages to look at; `ids_of`: the ids of a built page, None for a page not built (its link is told
    elsewhere)."""
    known: dict[str, set[str] | None] = {}
    missing = []
    for src, body, first in bodies:
        for at, written, target, place in boundary.anchored_links(body, src):
            if target not in known:
                known[target] = ids_of(target)
            ids = known[target]
            if ids is not None and place not in ids and place.lower() != "top":  # #top: the page's top (HTML)
                missing.append(MissingPlace(src, first + body.count("\n", 0, at), written, target, place))
    return missing
