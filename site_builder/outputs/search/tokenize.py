"""From a record to searchable text, and from text (folded) to the n-grams the index is keyed by.

Why character n-grams and not words: a word segmenter (jieba, or lunr's whitespace tokenizer) decides
where words start, and a query whose text the segmenter cut differently in the record is missed
(squidfunk/mkdocs-material#3915: `三公经费` in a record segmented as `三公/经费`, or a name segmented
inside a longer word). Substring semantics need no dictionary: every record that contains a query
word contains all of the word's character n-grams (its character, bigram or trigrams), so
intersecting their postings returns a superset of the true matches — it never misses — and the
client then checks contiguity on the record's text (see `query.py` and `theme/assets/search.js`).
Trigrams (for words of three or more characters) keep that superset tight: with bigrams only,
`医疗保险` also matched every record with `医疗保障` and `保险`.

Record text is taken from `Record.body` (Markdown) by `markdown_text`, a small stripper written for
search, not for display: about 0.3 ms per 3,000-character record where Python-Markdown takes ~4 ms
(×10,000 records), the same words, and no dependence on the order in which MkDocs renders pages.
`markdown_texts` gives, in the same pass, the text result snippets are cut from: the same words, with
table cells kept apart (“地块编号 | 位置 | 面积；YX2026-G03 | 城东…”, not “地块编号 位置 面积 YX2026-G03 城东…”).
"""

from __future__ import annotations

import html
import operator
import re

from ...sources.records import ATTRIBUTE_LIST
from .fold import fold

# field levels, best first: a match in the title or a tag outranks one in the metadata, which outranks the body
TITLE, META, BODY = 0, 1, 2
LEVELS = (TITLE, META, BODY)

_FENCE = re.compile(r"^[ \t]*(```|~~~).*$", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# elements whose text is never shown (sanitize.py drops them with their content): nor searched or quoted
_HIDDEN = re.compile(r"<(script|style|iframe|frame|frameset|noscript|noembed|noframes|object|applet|template|title|xmp)"
                     r"\b.*?</\1\s*>", re.S | re.I)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_REFDEF = re.compile(r"^[ \t]{0,3}\[[^\]^]+\]:\s+\S.*$", re.M)
_FOOTREF = re.compile(r"\[\^[^\]]+\](?!:)")
_FOOTDEF = re.compile(r"^[ \t]{0,3}\[\^[^\]]+\]:\s*", re.M)
_ATTR = re.compile(ATTRIBUTE_LIST)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}\s*(.*?)\s*#*\s*$", re.M)
_SETEXT = re.compile(r"^[ \t]{0,3}(=+|-+)\s*$", re.M)
_TABLE_RULE = re.compile(r"^[ \t]*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$", re.M)
_ADMONITION = re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"([^"]*)")?\s*$', re.M)
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])\s+", re.M)
_QUOTE = re.compile(r"^[ \t]*(?:>\s?)+", re.M)
_HR = re.compile(r"^[ \t]*(?:[-*_]\s*){3,}$", re.M)
_EMPH = re.compile(r"\*\*|__|~~|\*")
_CODE = re.compile(r"`+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # any ASCII punctuation mark, as CommonMark
_AUTOLINK = re.compile(r"<((?:https?|mailto|tel):[^<>\s]+)>")
# a line break inside a paragraph between two CJK / full-width characters is not a space in the text
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
_WIDE_CHAR = re.compile(_WIDE)
_UNPARK = re.compile("[\U000F0000-\U000F007F]")
# a table's cell and row ends while the text is stripped (private-use characters no record holds)
_CELL, _ROW = "\U000F0080", "\U000F0081"
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_BLOCKS = re.compile(r"\n[ \t]*\n")
CELL_SEPARATOR, ROW_END = " | ", "；"  # between a snippet's table cells, after a table row


def _mark_cells(block: str) -> str:
    """A Markdown table's rows with their cell and row ends marked (the rule line dropped); any other
    block as it is."""
    if "|" not in block or not _TABLE_RULE.search(block):
        return block
    out = []
    for line in block.split("\n"):
        if _TABLE_RULE.fullmatch(line):
            continue
        row = line.strip()
        if "|" not in row:
            out.append(line)
            continue
        if row.startswith("|"):
            row = row[1:]
        if row.endswith("|") and not row.endswith("\\|"):
            row = row[:-1]
        out.append(_CELL.join(c.strip() for c in _CELL_PIPE.split(row)) + _ROW)
    return "\n".join(out)


def markdown_text(body: str) -> str:
    """Plain text of a Markdown record body, whitespace collapsed (for indexing)."""
    return markdown_texts(body)[0]


def markdown_texts(body: str) -> tuple[str, str]:
    """(text to index, text to show in snippets) of a Markdown record body, whitespace collapsed: the
    same words, the second with table cells and rows kept apart (CELL_SEPARATOR, ROW_END). A word
    without whitespace, `|` or `；` is in one exactly when it is in the other."""
    t = body.replace("\r\n", "\n")
    # every pass is skipped when the text lacks its marker character (most records use few of them)
    if "<!--" in t:
        t = _COMMENT.sub(" ", t)
    if "```" in t or "~~~" in t:
        t = _FENCE.sub("", t)
    if "<" in t:
        t = _HIDDEN.sub(" ", t)
        t = _AUTOLINK.sub(r"\1", t)
        t = _TAG.sub(" ", t)
    if "[" in t:
        t = _IMAGE.sub(r"\1", t)
        t = _LINK.sub(r"\1", t)
        t = _REFLINK.sub(r"\1", t)
        t = _REFDEF.sub("", t)
        t = _FOOTREF.sub("", t)
        t = _FOOTDEF.sub("", t)
    if "{" in t:
        t = _ATTR.sub("", t)
    if "!!!" in t or "???" in t:
        t = _ADMONITION.sub(r"\1\n", t)
    tables = "|" in t and _TABLE_RULE.search(t) is not None
    if tables:
        t = "\n\n".join(map(_mark_cells, _BLOCKS.split(t)))
    if "|" in t:
        t = _TABLE_RULE.sub("", t)
    if "#" in t:
        t = _HEADING.sub(r"\n\1\n", t)
    if "-" in t or "=" in t or "*" in t or "_" in t:
        t = _SETEXT.sub("", t)
        t = _HR.sub("", t)
    if ">" in t:
        t = _QUOTE.sub("", t)
    t = _LIST.sub("", t)
    t = t.replace("|", " ")
    if "`" in t:
        t = _CODE.sub("", t)
    if "\\" in t:
        t = _ESCAPE.sub(lambda m: chr(0xF0000 + ord(m.group(1))), t)  # park escaped characters past _EMPH
        t = t.replace("\\\n", "\n")  # a line break, as the web form writes one (CommonMark's hard break)
        t = _EMPH.sub("", t)
        t = _UNPARK.sub(lambda m: chr(ord(m.group(0)) - 0xF0000), t)
    elif "*" in t or "_" in t or "~" in t:
        t = _EMPH.sub("", t)
    if "&" in t:
        t = html.unescape(t)
    t = join_wide_lines(t)
    if not tables:
        plain = " ".join(t.split())  # = re.sub(r"\s+", " ", t).strip() (the same whitespace), 4x faster
        return plain, plain
    shown = " ".join(t.replace(_CELL, CELL_SEPARATOR).replace(_ROW, ROW_END + " ").split())
    return " ".join(t.replace(_CELL, " ").replace(_ROW, " ").split()), shown


def join_wide_lines(t: str) -> str:
    """A line break between two wide (CJK) characters goes, with the spaces and tabs around it: a
    paragraph wrapped in the middle of a sentence reads as one line, as a browser shows it. The same as
    re.sub(rf"(?<={_WIDE})[ \\t]*\\n[ \\t]*(?={_WIDE})", "", t), line by line: that regex tests its
    lookbehind at every character and took 40% of markdown_texts."""
    if "\n" not in t:
        return t
    lines = t.split("\n")
    out = []
    prev = lines[0]
    for line in lines[1:]:
        left, right = prev.rstrip(" \t"), line.lstrip(" \t")
        if left and right and _WIDE_CHAR.match(left[-1]) and _WIDE_CHAR.match(right[0]):
            out.append(left)  # joined: the next line continues this one
            prev = right
        else:
            out.append(prev)
            out.append("\n")
            prev = line
    out.append(prev)
    return "".join(out)


def grams(folded: str) -> set[str]:
    """Every character, pair and (BMP-only) triple of adjacent characters of `folded`, never across
    whitespace — the reference for what build.py indexes (vectorised there)."""
    out: set[str] = set()
    for run in folded.split():
        out.update(run)
        out.update(map(operator.add, run, run[1:]))
        out.update(a + b + c for a, b, c in zip(run, run[1:], run[2:])
                   if ord(a) <= 0xFFFF and ord(b) <= 0xFFFF and ord(c) <= 0xFFFF)
    return out


def query_words(query: str) -> list[str]:
    """Folded, space-separated words of a query, duplicates dropped (every word is required)."""
    return list(dict.fromkeys(fold(query).split()))


def word_grams(word: str) -> list[str]:
    """The grams whose postings are intersected for one (folded) query word: the character of a
    one-character word, the bigram of a two-character word, the trigrams of a longer word (bigrams if
    it has a character outside the BMP, which trigrams do not index); at most 8, spread (_spread)."""
    if len(word) == 1:
        return [word]
    if len(word) == 2 or any(ord(c) > 0xFFFF for c in word):
        found = list(dict.fromkeys(map(operator.add, word, word[1:])))
    else:
        found = list(dict.fromkeys(a + b + c for a, b, c in zip(word, word[1:], word[2:])))
    return _spread(found)


MAX_WORD_GRAMS = 8


def _spread(found: list[str]) -> list[str]:
    """At most MAX_WORD_GRAMS of a long word's grams, evenly spread, first and last included: still a
    superset of the records containing the word (the text check makes it exact), and a pasted sentence
    loads 8 shards, not 40. Same integer arithmetic as search.js."""
    k = len(found)
    if k <= MAX_WORD_GRAMS:
        return found
    return list(dict.fromkeys(found[(j * (k - 1)) // (MAX_WORD_GRAMS - 1)] for j in range(MAX_WORD_GRAMS)))
