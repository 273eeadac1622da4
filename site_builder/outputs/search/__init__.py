"""Offline Chinese search: a prebuilt, split n-gram index that never misses, loaded by the browser
with `<script src>` (so it works over http:// and file:// alike). Pure core: plain data in, files out.

Modules: fold.py (简繁, 全角/半角, case, brackets), tokenize.py (Markdown → text, grams, query words),
encode.py (the compact posting format shared with the browser), document.py (a record as search sees
it), build.py (documents → files; stats.py what it did), incremental.py (after a few records changed,
a rebuild patches the previous build's files), writer.py (which of the two runs, and where),
query.py (the same engine in Python, for tests and benchmarks). The browser client is
theme/assets/search.js; the results page theme/disclosure/search.html.

Why not lunr as it is (lunr.py 0.8 was the starting point). We kept lunr's idea that a prebuilt index can
be scored in the browser from the query terms' postings alone, its field boosts (title and tags above
metadata above body) and its "all terms required" query mode; we replaced
- its tokenizer and pipeline (whitespace words, English stemmer/stop words; with jieba in front of it,
  a query word segmented differently from the record is missed, mkdocs-material#3915) by character
  1/2/3-grams over folded text, which by construction find every record containing the query text;
- its monolithic JSON index (per-term, per-field, per-document metadata objects plus a vector per field
  and document: 129–295 MB and ~265 s for 10,000 records, measured in issue 4) by posting lists encoded
  as gap or bitmap strings, split into shards by a hash of the gram, so a query loads only its shards;
- its BM25 term-frequency scoring by field levels (is the word in the title/tags, the metadata, or
  only the body?), exact phrase verification, and recency: a citizen looking for a notice wants the one
  that names it in the title, then the newest, not the one that repeats a word most often;
- fetch()/XHR loading by script files calling a global registration function, which works from disk.
"""

SEARCH_SRC = "search.md"  # the generated results page (search.html, or search/ with directory URLs)
INDEX_DIR = "search"  # the index files, under the site root
