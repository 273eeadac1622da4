"""Search core: folding, text and grams, the posting encoding, and recall ("never misses") proven by
brute force over the sample content with the same query engine the browser runs (query.py mirrors
theme/assets/search.js; test_search_browser.py checks the two agree)."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from site_builder.plan.index import build_index
from site_builder.plan.urls import record_url
from site_builder.outputs.search import build as sbuild
from site_builder.outputs.search import encode
from site_builder.outputs.search.build import encode_groups
from site_builder.outputs.search.document import DOC_FIELDS, SearchDoc, docs_from_index
from site_builder.outputs.search.writer import build_for_index, build_search_index, start_beside_pages
from site_builder.parallel import Parallelism
from site_builder.outputs.search.fold import fold, js_tables
from site_builder.outputs.search.query import SearchIndex
from site_builder.outputs.search.tokenize import grams, markdown_text, query_words, word_grams
from site_builder.sources.validate import load_project

ROOT = Path(__file__).resolve().parent.parent


# -- folding ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, folded", [
    ("國務院辦公廳關於印發", "国务院办公厅关于印发"),  # 繁 → 简
    ("臺灣同胞", "台湾同胞"),  # variants meet
    ("裡外", "里外"),
    ("ＰＰＰ项目", "ppp项目"),  # 全角 → 半角, case
    ("ＰｐＰ", "ppp"),
    ("１２３４５热线", "12345热线"),
    ("国办发〔2017〕47号", "国办发〔2017〕47号"),  # the standard form is kept
    ("国办发[2017]47号", "国办发〔2017〕47号"),  # every bracket a 文号 is typed with folds to 〔〕
    ("国办发［2017］47号", "国办发〔2017〕47号"),
    ("国办发【2017】47号", "国办发〔2017〕47号"),
    ("国办发(2017)47号", "国办发〔2017〕47号"),
    ("国办发（2017）47号", "国办发〔2017〕47号"),
    ("a\u3000b\tc\u00a0d", "a b c d"),  # every whitespace is one space
])
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_is_per_character():
    """fold(a + b) == fold(a) + fold(b): containment survives folding, the basis of 'never misses'."""
    rng = random.Random(7)
    text = (ROOT / "content/records/hrss/2025-taiwan-compatriots-employment.md").read_text(encoding="utf-8")
    for _ in range(300):
        i, j = sorted(rng.sample(range(len(text)), 2))
        assert fold(text[:i] + text[i:j]) == fold(text[:i]) + fold(text[i:j])


def test_translate_table_holds_every_code_point_that_folds():
    """The table looked at block by block (translate_table) is the table of every code point whose fold
    differs from itself, each looked at alone."""
    import unicodedata

    from site_builder.outputs.search.fold import BRACKETS, WHITESPACE, _fold_char, t2s_table, translate_table

    tables = set(map(ord, t2s_table())) | set(map(ord, BRACKETS)) | set(map(ord, WHITESPACE))
    every = {}
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if cp in tables or unicodedata.normalize("NFKC", c).lower() != c or c.isspace():
            f = _fold_char(c)
            if f != c:
                every[cp] = f
    assert len(every) > 10_000 and translate_table() == every


def test_fold_tables_kept_in_the_cache_are_the_tables_a_build_makes(tmp_path):
    """A build takes the fold tables from .cache/disclosure/fold/ (pipeline.use_fold_tables) once a build
    made them there; a damaged entry is made again, never used."""
    import subprocess
    import sys

    script = ("import pickle, sys; from pathlib import Path; from site_builder import pipeline; "
              "from site_builder.outputs.search import fold; "
              "pipeline.use_fold_tables(Path(sys.argv[1])); given = (fold.has_tables(), 'opencc' in sys.modules); "
              "sys.stdout.buffer.write(pickle.dumps((given, fold.tables(), fold.fold('臺灣〔2017〕ＰＰＰ'))))")

    def run():
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, check=True)
        return pickle.loads(done.stdout)

    given, t1, f1 = run()
    assert given == (True, True) and f1 == "台湾〔2017〕ppp"  # nothing kept yet: made from OpenCC's
    (entry,) = (tmp_path / "fold").iterdir()
    given, t2, f2 = run()
    assert given == (True, False) and (t2, f2) == (t1, f1)  # from the cache: the same tables
    entry.write_bytes(b"not a pickle")
    given, t3, f3 = run()
    assert given == (False, False) and (t3, f3) == (t1, f1)  # a damaged entry is not used, but dropped
    assert not entry.exists() and run()[0] == (True, True) and entry.exists()
    # a process that has its tables (a preview's next build) does not read the cache again
    again = ("import sys; from pathlib import Path; from site_builder import pipeline; "
             "cache = Path(sys.argv[1]); pipeline.use_fold_tables(cache); "
             "[e.write_bytes(b'damaged') for e in (cache / 'fold').iterdir()]; pipeline.use_fold_tables(cache)")
    subprocess.run([sys.executable, "-c", again, str(tmp_path)], check=True)
    assert entry.read_bytes() == b"damaged"
    # a process that made its tables before (a test's helper, a second build) still keeps them
    made_first = ("import sys; from pathlib import Path; from site_builder import pipeline; "
                  "from site_builder.outputs.search import fold; fold.tables(); pipeline.use_fold_tables(Path(sys.argv[1]))")
    subprocess.run([sys.executable, "-c", made_first, str(tmp_path / "other")], check=True)
    assert [e.read_bytes() for e in (tmp_path / "other" / "fold").iterdir()] == [pickle.dumps(t1, protocol=pickle.HIGHEST_PROTOCOL)]


def test_js_tables_match_python_fold():
    t = js_tables()
    assert len(t["from"]) == len(t["to"]) > 4000
    for src, dst in zip(t["from"], t["to"]):
        assert fold(src) in (dst, dst.lower())
    assert "\u3000" in t["ws"] and " " in t["ws"]


# -- text and grams -------------------------------------------------------------------------------
def test_markdown_text():
    md = ("# 标题 {#anchor}\n\n云溪县财政\n局关于**三公**经费的说明 \\*号 [附件一](files/a.pdf) ![图示](x.png)\n\n"
          "| 项目 | 金额（万元） |\n| --- | ---: |\n| 教育支出 | 78200 |\n\n- 列表 &amp; <b>粗体</b>\n\n"
          "> 引用文字\n\n!!! note \"提示\"\n    内容[^1]\n\n[^1]: 脚注文字\n\n"
          "![示意图](files/map.png){ width=\"300\" }{备注}\n\n县财政局\\\n2025年1月2日\n\n比例为1\\:2\n")
    text = markdown_text(md)
    for part in ("标题", "云溪县财政局关于三公经费的说明", "*号", "附件一", "图示", "教育支出 78200",
                 "列表 & 粗体", "引用文字", "提示", "内容", "脚注文字", "示意图{备注}", "县财政局 2025年1月2日", "比例为1:2"):
        assert part in text, part
    for junk in ("#", "**", "|", "---", "files/a.pdf", "<b>", "[^1]", "{#anchor}", "!!!", "width", "\\"):
        assert junk not in text, junk


def test_line_breaks_between_wide_characters_go_as_the_reference_regex_takes_them():
    """tokenize.join_wide_lines is the regex below, line by line: every string of up to six of the
    characters that matter (wide, narrow, space, tab, line break, the ideographic space: wide, and
    whitespace to str.strip), and record-like text."""
    import itertools
    import re

    from site_builder.outputs.search.tokenize import _WIDE, join_wide_lines

    reference = re.compile(rf"(?<={_WIDE})[ \t]*\n[ \t]*(?={_WIDE})")
    for n in range(7):
        for chars in itertools.product("字a \t\n\u3000", repeat=n):
            t = "".join(chars)
            assert join_wide_lines(t) == reference.sub("", t), repr(t)
    text = "云溪县财政\n局关于 \n\t三公经费\n\n的说明\nabc\n𠀀字\n ｜全角\n"
    assert join_wide_lines(text) == reference.sub("", text) == "云溪县财政局关于三公经费\n\n的说明\nabc\n𠀀字｜全角\n"


def test_grams_and_word_grams():
    g = grams("ab 三公经费")
    assert {"a", "b", "ab", "三", "三公", "三公经", "公经费"} <= g
    assert "b三" not in g and "b 三" not in g  # never across whitespace
    assert word_grams("税") == ["税"]
    assert word_grams("预算") == ["预算"]
    assert word_grams("三公经费") == ["三公经", "公经费"]
    assert word_grams("𠀀ab") == ["𠀀a", "ab"]  # outside the BMP: bigrams
    assert query_words(" 三公經費  預算 三公经费 ") == ["三公经费", "预算"]


# -- encoding ---------------------------------------------------------------------------------------
def test_posting_encoding_round_trip_and_vectorised_encoder():
    rng = random.Random(3)
    groups = []
    for key in range(400):
        n_docs = rng.choice([10, 1000, 100_000, 300_000])
        ids = sorted(rng.sample(range(n_docs), min(n_docs, rng.choice([1, 2, 7, 60, 900, 5000]))))
        groups.append((key, ids))
        text = encode.encode_ids(ids)
        assert encode.decode_ids(text) == ids
        assert all(c in encode.ALPHABET + encode.BITMAP for c in text)
    ck = np.concatenate([np.full(len(ids), k, np.uint64) for k, ids in groups])
    rec = np.concatenate([np.array(ids, np.int32) for _, ids in groups])
    gck, gend, buf = encode_groups(ck, rec)
    starts = [0] + gend[:-1].tolist()
    for (key, ids), a, b in zip(groups, starts, gend.tolist()):
        assert buf[a:b].decode("ascii") == encode.encode_ids(ids)
    entry = encode.encode_entry(([3], [], [1, 2, 9]))
    assert encode.decode_entry(entry) == {3: 0, 1: 2, 2: 2, 9: 2}


def test_vectorised_shard_hash_matches_reference():
    grams_ = ["公", "公开", "三公经", "𠀀a", "a", "〔2", "ppp", "12"]
    keys = []
    for g in grams_:
        cps = [ord(c) for c in g]
        if len(cps) == 3:
            keys.append((1 << 59) | cps[0] << 32 | cps[1] << 16 | cps[2])
        elif len(cps) == 2:
            keys.append(cps[0] << 21 | cps[1])
        else:
            keys.append(cps[0])
    got = sbuild.shards_of(np.array(keys, dtype=np.uint64), 512).tolist()
    assert got == [encode.shard_of(g, 512) for g in grams_]
    assert [sbuild.key_gram(k) for k in keys] == grams_


# -- recall over the sample content ------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_index(tmp_path_factory):
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    for r in project.records:
        r.url = record_url(r.src_path, False)
    idx = build_index(project.catalogue, project.records)
    docs = docs_from_index(idx)
    out = tmp_path_factory.mktemp("search") / "search"
    build_for_index(idx, out, workers=1)
    return docs, SearchIndex(out)


def brute_force(docs: list[SearchDoc], query: str) -> set[int]:
    """Every record whose folded title/tags, metadata or body contains every folded query word."""
    words = query_words(query)
    cached = _FOLDED.get(id(docs))
    if cached is None or cached[0] is not docs:  # keep the list itself: ids of freed lists are reused
        cached = _FOLDED[id(docs)] = (docs, [[fold(t) for t in d.field_texts(markdown_text(d.body))] for d in docs])
    hits = set()
    for i, fields in enumerate(cached[1]):
        if words and all(any(w in f for f in fields) for w in words):
            hits.add(i)
    return hits


_FOLDED: dict[int, tuple] = {}


QUERIES = [
    # Simplified
    "三公经费", "预算", "公开", "政府信息公开", "最低生活保障", "就业补贴", "云溪县", "税",
    # Traditional (the Taiwan-compatriots record is written in Traditional)
    "三公經費", "財政預算", "臺灣同胞", "台湾同胞", "就業", "醫療",
    # digits and Latin inside Chinese
    "12345", "１２３４５", "HPV", "hpv", "S232", "PM2.5", "DN800", "2024年", "CSV",
    # 文号 with 〔〕, and typed with other brackets
    "云政规〔2019〕3号", "云政规[2019]3号", "〔2024〕", "(2021)", "云人社规〔2026〕1号",
    # 索引号 and 发布机构
    "011320503/2024-00007", "011320503", "云溪县财政局",
    # several words: all required
    "预算 2024", "补贴 发放 就业", "公开 不存在的词语组合",
]


@pytest.mark.parametrize("query", QUERIES)
def test_recall_listed_queries(sample_index, query):
    docs, ix = sample_index
    expected = brute_force(docs, query)
    got = ix.search(query)
    assert set(got.exact) == expected, query  # every record containing the text, and only those
    assert expected <= set(got.ranked)


def test_recall_every_doc_number_index_number_title_and_tag(sample_index):
    docs, ix = sample_index
    queries = set()
    for d in docs:
        queries.update(x for x in (d.doc_no, d.index_no, d.title, d.department_name, *d.tags) if x)
    for q in sorted(queries):
        expected = brute_force(docs, q)
        assert expected, q
        assert set(ix.search(q).exact) == expected, q


def test_recall_random_substrings(sample_index):
    """Random substrings of the records' own text (1–8 characters, any script mix) are always found."""
    docs, ix = sample_index
    rng = random.Random(2024)
    texts = [d.field_texts(markdown_text(d.body)) for d in docs]
    for _ in range(250):
        field = rng.choice(rng.choice(texts))
        if not field.strip():
            continue
        n = rng.randint(1, 8)
        start = rng.randrange(max(1, len(field) - n))
        q = field[start:start + n].strip()
        if not q:
            continue
        expected = brute_force(docs, q)
        assert expected, q
        assert set(ix.search(q).exact) == expected, q


def test_traditional_query_finds_what_simplified_finds(sample_index):
    from opencc import OpenCC

    _, ix = sample_index
    s2t = OpenCC("s2t")
    for q in ("三公经费", "财政预算", "就业补贴", "最低生活保障", "义务教育"):
        assert ix.search(s2t.convert(q)).exact == ix.search(q).exact, q


# -- ranking and facets on a small hand-made collection --------------------------------------------------
def _doc(title, body="", date="2024-01-01", **kw):
    return SearchDoc(title=title, url=f"r/{abs(hash(title))}.html", date=date, year=int(date[:4]),
                     department=kw.pop("department", "finance"), department_name=kw.pop("department_name", "县财政局"),
                     domains=kw.pop("domains", ("fiscal",)), body=body, **kw)


def test_ranking_title_above_body_newer_on_ties_phrase_above_scattered(tmp_path):
    docs = [  # ids follow list order: pass oldest first, as the site does (a higher id is newer)
        _doc("标签命中", "无关正文", date="2021-06-01", tags=("耕地地力保护补贴",)),      # 0 tag, oldest
        _doc("某通知", "耕地地力、保护以及补贴的说明", date="2022-06-01"),               # 1 scattered words
        _doc("其他事项", "耕地地力保护补贴标准每亩120元。", date="2023-06-01"),          # 2 body, older
        _doc("耕地地力保护补贴发放公告", "正文。", date="2024-06-01"),                 # 3 title
        _doc("关于耕地保护的通知", "本文提到地力补贴。", date="2025-06-01"),          # 4 body only, newest
    ]
    build_search_index(docs, tmp_path / "s", [("finance", "县财政局")], [("fiscal", "财政预决算")], workers=1)
    ix = SearchIndex(tmp_path / "s")
    r = ix.search("耕地地力保护补贴")
    assert r.exact == [3, 0, 2]  # title and tag above body, newer first among equals
    assert r.scattered == [] and 1 not in r.ranked  # 1 has the characters but not the words
    two = ix.search("地力 补贴")
    # 4 holds "地力补贴" (the words adjacent: a phrase) and comes first although only in its body;
    # then title/tag matches (newer first), then body matches (newer first)
    assert two.exact == [4, 3, 0, 2, 1]
    assert ix.search("耕地 不存在").exact == []


def test_facet_codes_are_in_their_own_file_and_results_carry_their_own(tmp_path):
    """facets.js holds every record's facet codes (meta.js none of them, so the first results need not
    wait for them); each record's doc entry carries what a result shows: department and domain ids,
    validity and consultation status."""
    docs = [
        _doc("甲", date="2021-01-01"),
        _doc("乙", date="2022-01-01", department="edu", department_name="县教育局", domains=("fiscal", "school"),
             validity="废止", consultation="open", project="农村公路提档升级"),
        _doc("丙", date="2024-01-01", department="nobody", department_name="未列出的机构", domains=(),
             subject="财政、金融、审计"),
    ]
    out = tmp_path / "s"
    build_search_index(docs, out, [("finance", "县财政局"), ("edu", "县教育局")], [("fiscal", "财政预决算")], workers=1)
    meta_text = (out / "meta.js").read_text(encoding="utf-8")
    meta = json.loads(meta_text[len("__dxSearch.meta("):-3])
    assert meta["format"] == sbuild.FORMAT == 3 and "facets" not in meta
    assert (out / "facets.js").read_text(encoding="ascii").startswith("__dxSearch.facets(")
    ix = SearchIndex(out)
    assert [ix.record_facets(i) for i in range(3)] == [
        {"dep": "finance", "dom": ["fiscal"], "year": 2021, "val": "", "prj": "", "con": "", "subj": ""},
        {"dep": "edu", "dom": ["fiscal", "school"], "year": 2022, "val": "废止", "prj": "农村公路提档升级",
         "con": "open", "subj": ""},
        {"dep": "nobody", "dom": ["fiscal"], "year": 2024, "val": "", "prj": "", "con": "",
         "subj": "财政、金融、审计"},  # no domain: coded as the first (as format 1 did)
    ]
    assert {k: ix.doc(1)[k] for k in "pmvc"} == {"p": "edu", "m": ["fiscal", "school"], "v": "废止", "c": "open"}
    assert ix.doc(0)["p"] == "finance" and "v" not in ix.doc(0) and "c" not in ix.doc(0)
    assert ix.doc(2)["m"] == [] and ix.department_name(2) == "未列出的机构"
    assert ["nobody", "未列出的机构"] in meta["departments"] and ["school", "school"] in meta["domains"]
    assert meta["consultationKeys"][meta["consultations"].index("征集中")] == "open"


def test_facet_columns_pack_and_unpack():
    """facets.py: one byte per code, two (high bytes, then low) past 256 values; department and domains
    as one code into the groups, the most common first."""
    from site_builder.outputs.search import facets

    n = 600
    deps = [i % 3 for i in range(n)]
    doms = [(0,) if i % 3 else (1, 2) for i in range(n)]
    packed = facets.pack(deps, doms, [("year", [i // 100 for i in range(n)], 6), ("prj", list(range(n)), n)])
    assert packed["columns"] == [["grp", 1], ["year", 1], ["prj", 2]]
    assert packed["groups"] == [[0, [1, 2]], [1, [0]], [2, [0]]]  # 200 each: ties in (department, domains) order
    out = facets.unpack(json.loads(json.dumps(packed)), n)
    assert out["prj"] == list(range(n)) and out["year"] == [i // 100 for i in range(n)]
    assert out["dep"] == deps and out["dom"] == [list(d) for d in doms]
    assert facets.width(256) == 1 and facets.width(257) == 2 and facets.width(65537) == 3


def test_docs_from_index_numbers_records_oldest_first(sample_index):
    """Ids are positions in the reverse of the index's newest-first order: a record published today
    takes the next id and every other record keeps its id (the incremental rebuild relies on it)."""
    docs, _ = sample_index
    dates = [d.date for d in docs]
    assert dates == sorted(dates) and dates[0] < dates[-1]
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    idx = build_index(project.catalogue, project.records)
    assert dates == [r.date_text for r in reversed(idx.records)]


def test_a_record_doc_is_hashed_by_its_body_digest_as_a_doc_without_one_by_its_body(sample_index):
    """The cache key of a record's entry takes the body's digest the record brought from the parse cache;
    a doc made otherwise (双公示 decisions), or given a new body, hashes its body: the same key."""
    import dataclasses

    docs, _ = sample_index
    assert all(d.body_digest for d in docs)
    for d in docs[:5]:
        bare = SearchDoc(**{f: getattr(d, f) for f in DOC_FIELDS if f != "body_digest"})
        assert not bare.body_digest and sbuild._doc_hash(bare) == sbuild._doc_hash(d)
        edited = dataclasses.replace(d, body=d.body + "改")
        assert not edited.body_digest and sbuild._doc_hash(edited) != sbuild._doc_hash(d)
    import pickle
    assert pickle.loads(pickle.dumps(docs[0])).body_digest == docs[0].body_digest  # through a DocFile too


def test_past_the_forked_size_the_index_is_built_by_a_fresh_process_with_the_same_files(tmp_path):
    """start_beside_pages: a forked child up to search_beside_pages_max records, past it a new
    interpreter given the documents (a fork would end up holding a copy of the build's memory)."""
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    for r in project.records:
        r.url = record_url(r.src_path, False)
    idx = build_index(project.catalogue, project.records)
    extra = [_doc("双公示决定", "行政许可决定书", date="2026-01-01")]
    forked = start_beside_pages(idx, tmp_path / "a", Parallelism(), tmp_path / "cache-a", extra=extra)
    fresh = start_beside_pages(idx, tmp_path / "b", Parallelism(search_beside_pages_max=0), tmp_path / "cache-b",
                               extra=extra)
    assert fresh._proc is not None and forked._pid is not None  # (no fork: Windows, where both run here)
    a, b = forked.result(), fresh.result()
    assert a.records == b.records == len(idx.records) + 1 and b.workers == 1
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert (tmp_path / "cache-b" / "snapshot.json").is_file()  # the cache is kept by the fresh process too
    assert not list((tmp_path / "cache-b").glob(".documents-*"))  # its documents' file is gone


def test_past_the_forked_size_a_few_edits_are_patched_by_a_forked_child_and_a_stale_snapshot_built_anew(tmp_path):
    """start_beside_pages past search_beside_pages_max: after an edit the last index is patched in a
    forked child (no documents' file is written); a snapshot that turns out unusable there falls back to
    the full build in a fresh process. Every time the same files as a build without a cache."""
    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    for r in project.records:
        r.url = record_url(r.src_path, False)
    idx = build_index(project.catalogue, project.records)
    par, cache = Parallelism(search_beside_pages_max=0), tmp_path / "cache"

    def same_as_uncached(out):
        build_for_index(idx, tmp_path / "plain", workers=1)
        files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*") if p.is_file())
        for rel in files:
            assert (out / rel).read_bytes() == (tmp_path / "plain" / rel).read_bytes(), rel

    assert start_beside_pages(idx, tmp_path / "a", par, cache).result().mode == "full"
    idx.records[3].body += "\n\n补充说明：新增一段。"
    job = start_beside_pages(idx, tmp_path / "b", par, cache)
    assert not list(cache.glob(".documents-*"))  # no documents' file for a patch
    stats = job.result()
    assert stats.mode == "incremental" and stats.changed == 1
    same_as_uncached(tmp_path / "b")

    idx.records[5].body += "\n\n又一段。"
    shard = next((cache / "snapshot" / "g").glob("*.js"))
    shard.write_bytes(shard.read_bytes() + b" ")  # the snapshot no longer matches its manifest
    stats = start_beside_pages(idx, tmp_path / "c", par, cache).result()
    assert stats.mode == "full" and stats.workers == 1  # in the fresh process
    same_as_uncached(tmp_path / "c")
    assert not list(cache.glob(".documents-*"))


def test_meta_js_is_kept_by_the_documents_world_and_made_again_when_it_changes(tmp_path, monkeypatch):
    """Past search_beside_pages_max, with the plan's world (the build's case at 100,000 records): after a
    body edit the patch takes meta.js's and facets.js's objects as the last build under that world made
    them, without making every document; under another world it makes them again, from the documents
    made as it asks for them. Every time the same files as a build without a cache."""
    from site_builder.outputs.search import incremental, writer

    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    for r in project.records:
        r.url = record_url(r.src_path, False)
    idx = build_index(project.catalogue, project.records)
    extra = [_doc("双公示决定", "行政许可决定书", date="2026-01-01")]
    par, cache = Parallelism(search_beside_pages_max=0), tmp_path / "cache"

    def same_as_uncached(out):
        plain = tmp_path / "plain"
        build_for_index(idx, plain, workers=1, extra=extra)
        files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
        for rel in files:
            assert (out / rel).read_bytes() == (plain / rel).read_bytes(), rel

    def never(*args, **kwargs):
        raise AssertionError("made again under a world that was kept")

    assert start_beside_pages(idx, tmp_path / "a", par, cache, extra=extra, world="w1").result().mode == "full"
    assert list((cache / sbuild.META_KEPT).iterdir())  # kept by the full build (in its fresh process)
    start_beside_pages(idx, tmp_path / "a2", par, cache, extra=extra, world="w1").result()  # keeps the hashes
    idx.records[3].body += "\n\n补充说明：新增一段。"
    with monkeypatch.context() as m:  # the forked child inherits these
        m.setattr(sbuild, "_meta", never)
        m.setattr(writer, "_documents", never)
        stats = start_beside_pages(idx, tmp_path / "b", par, cache, extra=extra, world="w1").result()
    assert stats.mode == "incremental" and stats.changed == 1
    same_as_uncached(tmp_path / "b")

    # another world (a department renamed): meta.js made again
    dep = idx.records[0].department
    idx.catalogue.departments[dep] = dataclasses.replace(idx.catalogue.departments[dep], name="改名后的机构")
    with monkeypatch.context() as m:
        m.setattr(incremental, "MAX_CHANGED", 10**6)  # patched even with the department's records changed
        stats = start_beside_pages(idx, tmp_path / "c", par, cache, extra=extra, world="w2").result()
    assert stats.mode == "incremental"
    same_as_uncached(tmp_path / "c")
    assert "改名后的机构" in (tmp_path / "c" / "meta.js").read_text(encoding="utf-8")

    # nothing kept for this world (its hashes are): made again from the documents the patch makes
    shutil.rmtree(cache / sbuild.META_KEPT)
    idx.records[5].body += "\n\n又一段。"
    with monkeypatch.context() as m:
        m.setattr(writer, "_documents", never)
        stats = start_beside_pages(idx, tmp_path / "d", par, cache, extra=extra, world="w2").result()
    assert stats.mode == "incremental" and stats.changed == 1
    same_as_uncached(tmp_path / "d")


def test_the_hashes_kept_under_the_plans_world_are_those_made_again(tmp_path):
    """Past search_beside_pages_max the build process hashes every document to know whether the last
    index can be patched. Under the same world (fingerprints.world: all the documents are made of but
    the records' bodies) it takes the last build's hashes for the unchanged bodies and makes only the
    edited records' documents; every hash is the one made from scratch."""
    from site_builder.outputs.search import writer

    project = load_project(ROOT / "content", ROOT / "catalogue", root=ROOT)
    for r in project.records:
        r.url = record_url(r.src_path, False)
    idx = build_index(project.catalogue, project.records)
    extra = [_doc("双公示决定", "行政许可决定书", date="2026-01-01")]
    cache = tmp_path / "cache"
    cache.mkdir()

    def made_again():
        return sbuild.doc_hashes(docs_from_index(idx) + extra)

    first, docs = writer._hashes(idx, extra, str(cache), "world-1")
    assert docs is not None and first == made_again()  # nothing kept yet: every document made
    assert writer._hashes(idx, extra, str(cache), "world-1") == (first, None)  # nothing made
    idx.records[3].body += "\n\n补充说明：新增一段。"
    edited, docs = writer._hashes(idx, extra, str(cache), "world-1")
    assert docs is None and edited == made_again()
    assert [i for i, (a, b) in enumerate(zip(first, edited)) if a != b] == [len(idx.records) - 1 - 3]
    assert writer._hashes(idx, extra, str(cache), "world-1") == (edited, None)
    # the world changes with what the plan reads: a department renamed makes every document again
    dep = idx.records[0].department
    idx.catalogue.departments[dep] = dataclasses.replace(idx.catalogue.departments[dep], name="改名后的机构")
    renamed, docs = writer._hashes(idx, extra, str(cache), "world-2")
    assert docs is not None and renamed == made_again() and renamed != edited
    assert writer._hashes(idx, extra, str(cache), None)[1] is not None  # no world: nothing is taken


def test_a_doc_file_builds_and_patches_the_same_index_as_the_documents_in_memory(tmp_path, monkeypatch):
    """DocFile (chunks of 7 here): full builds, and an incremental one after an edit, write the same
    files as from the list; a loop over it gives the documents without bodies, indexing with them."""
    monkeypatch.setattr(sbuild.DocFile, "CHUNK", 7)
    rng = random.Random(37)
    words = ["财政", "预算", "公开", "補貼", "就业", "县", "医疗保险"]
    docs = [_doc(f"记录{i}", " ".join(rng.choice(words) for _ in range(30)), date=f"20{10 + i % 15}-01-01")
            for i in range(40)]

    def both(docs, name):
        path = str(tmp_path / f"{name}.pickle")
        sbuild.DocFile.write(docs, path)
        from_file = sbuild.DocFile(path)
        assert len(from_file) == len(docs) and [d.body for d in from_file] == [""] * len(docs)
        assert from_file[-1] == docs[-1] and from_file[3:9] == docs[3:9]
        out = []
        for kind, given in (("list", docs), ("file", from_file)):
            stats = build_search_index(given, tmp_path / kind / "out", [("finance", "县财政局")], [("fiscal", "财政预决算")],
                                       workers=1, cache_dir=tmp_path / kind / "cache")
            out.append((stats.mode, {p.relative_to(tmp_path / kind / "out"): p.read_bytes()
                                     for p in (tmp_path / kind / "out").rglob("*") if p.is_file()}))
        assert out[0] == out[1]
        return out[0][0]

    assert both(docs, "a") == "full"
    docs[12] = dataclasses.replace(docs[12], body=docs[12].body + " 新增补充说明")
    assert both(docs, "b") == "incremental"


def test_parallel_build_writes_the_same_files_as_serial(tmp_path, monkeypatch):
    rng = random.Random(5)
    words = ["财政", "预算", "公开", "補貼", "就业", "ＰＰＰ", "〔2023〕3号", "12345", "医疗保险", "县"]
    docs = [_doc(f"记录{i}" + rng.choice(words), " ".join(rng.choice(words) for _ in range(40)),
                 date=f"20{10 + i % 15}-01-01") for i in range(60)]
    monkeypatch.setattr(sbuild, "PARTITION_POSTINGS", 500)  # several key-range partitions
    a = build_search_index(docs, tmp_path / "a", [("finance", "县财政局")], [("fiscal", "财政预决算")], workers=1)
    b = build_search_index(docs, tmp_path / "b", [("finance", "县财政局")], [("fiscal", "财政预决算")],
                           parallel=Parallelism(workers=2, search_min_docs=0))
    assert b.workers == 2 and a.workers == 1
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.js"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.js"))
    assert files_a == files_b
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    ix = SearchIndex(tmp_path / "b")
    for q in words:
        assert set(ix.search(q).exact) == brute_force(docs, q), q


def test_cache_and_spilled_runs_give_the_same_files(tmp_path, monkeypatch):
    """A rebuild reuses unchanged records from the cache, recomputes changed ones, drops stale entries,
    and writes byte-for-byte what a build without cache (and with runs spilled to disk) writes."""
    rng = random.Random(11)
    words = ["财政", "预算", "公开", "補貼", "就业", "ＰＰＰ", "〔2023〕3号", "12345", "医疗保险", "县"]
    docs = [_doc(f"记录{i}" + rng.choice(words), " ".join(rng.choice(words) for _ in range(30)),
                 date=f"20{10 + i % 15}-01-01") for i in range(40)]
    deps, doms = [("finance", "县财政局")], [("fiscal", "财政预决算")]

    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*.js"))}

    cache = tmp_path / "cache"
    first = build_search_index(docs, tmp_path / "a", deps, doms, workers=1, cache_dir=cache)
    assert first.cache_hits == 0
    again = build_search_index(docs, tmp_path / "b", deps, doms, workers=1, cache_dir=cache)
    assert again.cache_hits == len(docs)
    assert files(tmp_path / "a") == files(tmp_path / "b")

    docs[5] = _doc("改过的记录 三公经费", "新的正文", date=docs[5].date)
    changed = build_search_index(docs, tmp_path / "c", deps, doms, workers=1, cache_dir=cache)
    assert changed.cache_hits == len(docs) - 1
    assert len(list(cache.rglob("*.keys"))) == len(docs)  # the old version of record 5 is gone
    monkeypatch.setattr(sbuild, "SPILL_POSTINGS", 0)
    monkeypatch.setattr(sbuild, "PARTITION_POSTINGS", 300)
    plain = build_search_index(docs, tmp_path / "d", deps, doms, workers=1)
    assert plain.cache_hits == 0
    assert files(tmp_path / "c") == files(tmp_path / "d")
    assert not list((tmp_path / "d").glob(".search-runs-*"))
    ix = SearchIndex(tmp_path / "c")
    assert ix.search("改过的记录").exact == [5]
    assert set(ix.search("预算").exact) == brute_force(docs, "预算")


def test_long_query_uses_a_few_grams_and_stays_exact(sample_index):
    docs, ix = sample_index
    body = markdown_text(docs[3].body)
    q = body[10:60].strip()
    assert len(word_grams(fold(q.split()[0]))) <= 8
    for query in (q, body[5:25], docs[0].title + docs[0].title):
        expected = brute_force(docs, query)
        got = ix.search(query)
        assert set(got.exact) == expected, query
        assert len(ix._touched) <= 8 * len(query_words(query)) + len(query_words(query))


# -- incremental rebuilds (incremental.py) -------------------------------------------------------------
def test_patch_lists_writes_what_encode_ids_writes():
    from site_builder.outputs.search.incremental import Stale, patch_lists

    rng = random.Random(17)
    jobs, expected = [], []
    for _ in range(3000):
        n_docs = rng.choice([7, 40, 300, 5000])
        density = rng.choice([0.0, 0.01, 0.1, 0.15, 0.17, 0.2, 0.5, 1.0])
        ids = {i for i in range(n_docs) if rng.random() < density}
        k = rng.choice([1, 1, 1, 2, 5])
        remove = sorted(rng.sample(sorted(ids), min(len(ids), rng.randint(0, k))))
        free = [i for i in range(n_docs + 12) if i not in ids]
        add = sorted(rng.sample(free, min(len(free), rng.randint(0 if remove else 1, k))))
        jobs.append((encode.encode_ids(sorted(ids)), remove, add))
        expected.append(encode.encode_ids(sorted((ids - set(remove)) | set(add))))
    assert patch_lists(jobs) == expected
    assert any(t.startswith("~") for t, _, _ in jobs) and any(e and not e.startswith("~") for e in expected)
    for bad in [(encode.encode_ids([1, 2, 3] * 0 + list(range(0, 60, 2))), [1], []),  # not there
                (encode.encode_ids([5, 9]), [], [9])]:  # already there
        with pytest.raises(Stale):
            patch_lists([bad])


def _files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class _Site:
    """Builds `docs` (kept sorted oldest first, as docs_from_index gives them) with a cache, and checks
    every build against a build without cache."""

    deps, doms = [("finance", "县财政局"), ("edu", "县教育局")], [("fiscal", "财政预决算")]

    def __init__(self, tmp_path, docs):
        self.tmp, self.docs, self.k = tmp_path, docs, 0
        self.cache = tmp_path / "cache"

    def build(self, expect_mode=None, workers=1, patch_min_shards=256):
        self.docs.sort(key=lambda d: d.date)
        self.k += 1
        site = self.tmp / f"site{self.k}" / "search"
        stats = build_search_index(self.docs, site, self.deps, self.doms, cache_dir=self.cache,
                                   parallel=Parallelism(workers=workers, search_patch_min_shards=patch_min_shards))
        ref = self.tmp / f"ref{self.k}" / "search"
        build_search_index(self.docs, ref, self.deps, self.doms, workers=1)
        got, want = _files(site), _files(ref)
        assert sorted(got) == sorted(want) and {"meta.js", "facets.js"} <= set(want)
        for rel in want:
            assert got[rel] == want[rel], (self.k, rel)
        if expect_mode:
            assert stats.mode == expect_mode, (self.k, stats)
        assert stats.records == len(self.docs) and stats.shards == json.loads(
            (site / "meta.js").read_text(encoding="utf-8")[len("__dxSearch.meta("):-3])["shards"]
        return stats, site


def _corpus(n: int, seed: int = 23) -> list[SearchDoc]:
    rng = random.Random(seed)
    words = ["财政", "预算", "公开", "補貼", "就业", "ＰＰＰ", "〔2023〕3号", "12345", "医疗保险", "县", "的", "通知"]
    rare = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    docs = []
    for i in range(n):
        body = " ".join(rng.choice(words) + (rng.choice(rare) * rng.randint(0, 2)) for _ in range(rng.randint(5, 40)))
        docs.append(_doc(f"记录{i}" + rng.choice(words) + rng.choice(rare), body,
                         date=f"20{10 + i // 12:02d}-{1 + i % 12:02d}-01",
                         tags=tuple(rng.sample(words, rng.randint(0, 2))),
                         department=rng.choice(["finance", "edu"]), summary=rng.choice(["", "概述" + rng.choice(words)])))
    return docs


def test_incremental_rebuilds_write_what_a_full_build_writes(tmp_path, monkeypatch):
    import dataclasses

    from site_builder.outputs.search import incremental

    monkeypatch.setattr(sbuild, "TARGET_SHARD_BYTES", 2200)  # 16 shards, far from 8 or 32
    monkeypatch.setattr(incremental, "BATCH_BYTES", 5000)  # shards patched a few at a time
    site = _Site(tmp_path, _corpus(89))  # 23 doc files, the last one with one record
    docs = site.docs
    first, _ = site.build("full")
    assert first.cache_hits == 0 and first.shards == 16
    again, _ = site.build("incremental")
    assert again.changed == 0 and again.cache_hits == len(docs)

    docs[40] = dataclasses.replace(docs[40], body=docs[40].body + " 新增的正文 三公经费 甲乙丙丁")  # body edit
    stats, _ = site.build("incremental")
    assert stats.changed == 1 and stats.cache_hits == len(docs) - 1
    docs[12] = dataclasses.replace(docs[12], title="改过的标题 医疗保险")  # title edit
    site.build("incremental")
    docs[70] = dataclasses.replace(docs[70], tags=("新标签", "财政"))  # tag edit
    site.build("incremental")
    # facets edited (facets.js and the record's doc entry change; "welfare" is not among the domains given)
    docs[30] = dataclasses.replace(docs[30], validity="失效", consultation="open", domains=("fiscal", "welfare"))
    stats, out = site.build("incremental")
    assert stats.changed == 1
    ix = SearchIndex(out)
    assert ix.record_facets(30)["val"] == "失效" and ix.record_facets(30)["con"] == "open"
    assert ix.record_facets(30)["dom"] == ["fiscal", "welfare"] and ix.doc(30)["m"] == ["fiscal", "welfare"]
    assert ix.doc(30)["v"] == "失效" and ix.doc(30)["c"] == "open"
    docs[30] = dataclasses.replace(docs[30], consultation="closed")  # the build day moved on: its status too
    stats, out = site.build("incremental")
    assert stats.changed == 1
    build_id = json.loads((out / "meta.js").read_text(encoding="utf-8")[len("__dxSearch.meta("):-3])["build"]
    docs[31] = dataclasses.replace(docs[31], project="农村公路提档升级")  # in facets.js only, in no doc entry
    stats, out = site.build("incremental")
    assert stats.changed == 0 and SearchIndex(out).record_facets(31)["prj"] == "农村公路提档升级"
    assert json.loads((out / "meta.js").read_text(encoding="utf-8")[len("__dxSearch.meta("):-3])["build"] != build_id
    docs[3] = dataclasses.replace(docs[3], body="完全不同的正文，没有原来的字词。")  # everything changes
    docs[60] = dataclasses.replace(docs[60], body=docs[60].body.replace("县", "市"))  # two records at once
    stats, _ = site.build("incremental")
    assert stats.changed == 2
    gone = docs.pop(-3)  # a record deleted (among the newest: three ids change; one doc file less)
    stats, _ = site.build("incremental")
    assert stats.changed == 3
    monkeypatch.setattr(sbuild, "_LUT", None)  # as in a new process: the fold table comes from the cache
    docs.append(_doc("今天发布的通知 预算公开", "新记录的正文，县财政局。", date="2030-01-01", tags=("预算",)))  # new, newest
    stats, out = site.build("incremental", workers=2, patch_min_shards=2)  # shards patched by two processes
    assert stats.changed == 1 and stats.workers == 2
    assert SearchIndex(out).search("今天发布")
    assert SearchIndex(out).search("今天发布").exact == [len(docs) - 1]
    docs.append(gone)  # back, with its old date: ids after it move
    stats, _ = site.build("incremental")
    assert stats.changed == 4
    newest = docs.pop()  # the newest deleted: its doc file keeps the records before it
    assert len(docs) % sbuild.DOCS_PER_FILE != 0
    stats, _ = site.build("incremental")
    assert stats.changed == 1
    docs.append(newest)
    site.build("incremental")
    moved = next(i for i, d in enumerate(docs) if d.date == "2016-06-01")
    docs[moved] = dataclasses.replace(docs[moved], date="2016-09-15")  # date change: the order changes
    stats, _ = site.build("incremental")
    assert stats.changed == 4
    docs[20] = dataclasses.replace(docs[20], title='引号"反斜杠\\控制\x01字符', body="ａｂ \"x\" \\y\\")  # JSON escapes
    site.build("incremental")
    docs[20] = dataclasses.replace(docs[20], title="恢复", body="恢复")
    site.build("incremental")
    del docs[5]  # an old record deleted: every later id changes
    stats, _ = site.build("full")
    docs[:] = [dataclasses.replace(d, department_name="县财政局（新）") if d.department == "finance" else d
               for d in docs]  # a department renamed: its records' metadata all change
    site.build("full")
    stats, _ = site.build("incremental")
    assert stats.changed == 0
    assert sorted(p.name for p in site.cache.glob("*/*.keys")) == sorted(
        {sbuild._doc_hash(d) + ".keys" for d in docs})  # exactly the records' entries


def test_incremental_rebuild_never_takes_back_a_site_file_edited_in_place(tmp_path):
    import dataclasses

    site = _Site(tmp_path, _corpus(30))
    _, out = site.build("full")
    shard = next(p for p in sorted((out / "g").glob("*.js")) if p.stat().st_size > 100)
    with open(shard, "r+b") as fh:  # in place: the same inode as the cache's copy
        fh.seek(40)
        fh.write(b"X")
    site.docs[4] = dataclasses.replace(site.docs[4], body="改了一点")
    site.build("full")
    _, out = site.build("incremental")
    doc = next((out / "d").rglob("*.js"))
    with open(doc, "r+b") as fh:
        fh.seek(20)
        fh.write(b"X")
    site.build("full")


def test_incremental_rebuild_falls_back_without_the_old_entry_or_the_lock(tmp_path, monkeypatch):
    import dataclasses
    import fcntl

    site = _Site(tmp_path, _corpus(30))
    site.build("full")
    old = sbuild._doc_hash(site.docs[7])
    (site.cache / old[:2] / f"{old}.keys").unlink()  # its old gram keys are needed to take them out
    site.docs[7] = dataclasses.replace(site.docs[7], body="改了")
    site.build("full")
    site.docs[8] = dataclasses.replace(site.docs[8], body="又改了")
    site.build("incremental")
    with open(site.cache / ".lock", "w") as fh:  # another build holds the snapshot
        fcntl.flock(fh, fcntl.LOCK_EX)
        manifest = (site.cache / "snapshot.json").read_bytes()
        site.docs[9] = dataclasses.replace(site.docs[9], body="再改")
        site.build("full")
        assert (site.cache / "snapshot.json").read_bytes() == manifest  # left alone
    site.docs[10] = dataclasses.replace(site.docs[10], body="还改")
    stats, _ = site.build("incremental")  # the snapshot is still good: two records changed since
    assert stats.changed == 2


def test_incremental_rebuild_falls_back_when_the_shard_count_changes(tmp_path, monkeypatch):
    import dataclasses

    site = _Site(tmp_path, _corpus(40))
    first, _ = site.build("full")
    total = first.shard_bytes
    # the next build's index is a little bigger; make that cross the threshold of the next shard count
    monkeypatch.setattr(sbuild, "TARGET_SHARD_BYTES", -(-total // (2 * first.shards)))
    site.docs[-1] = dataclasses.replace(site.docs[-1], body=site.docs[-1].body + " 很多新的字词" * 20)
    stats, _ = site.build("full")
    assert stats.shards > first.shards
    site.docs[-2] = dataclasses.replace(site.docs[-2], body=site.docs[-2].body + " 又改")
    site.build("incremental")


def test_incremental_rebuilds_random_edits(tmp_path, monkeypatch):
    """Random sequences of edits, insertions (any date), deletions and date changes, every one patched
    incrementally (no limit on changed ids here), each build byte-for-byte the full build's."""
    import dataclasses

    from site_builder.outputs.search import incremental

    monkeypatch.setattr(incremental, "MAX_CHANGED", 10**6)
    monkeypatch.setattr(sbuild, "TARGET_SHARD_BYTES", 1500)
    rng = random.Random(4)
    words = ["财政", "预算", "公开", "補貼", "就业", "新词", "〔2023〕3号", "12345", "医疗保险", '引"号', "反\\斜", "甲乙", "的"]
    site = _Site(tmp_path, _corpus(25, seed=9))
    docs = site.docs
    site.build("full")
    modes = []

    def text(k):
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, k)))

    def date():
        return f"20{rng.randint(10, 40)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"

    for step in range(40):
        op = rng.choice(["body", "title", "tags", "delete", "add", "date", "several"])
        i = rng.randrange(len(docs))
        if op == "body":
            docs[i] = dataclasses.replace(docs[i], body=text(30))
        elif op == "title":
            docs[i] = dataclasses.replace(docs[i], title=rng.choice(words) + str(step))
        elif op == "tags":
            docs[i] = dataclasses.replace(docs[i], tags=tuple(rng.sample(words, rng.randint(0, 3))))
        elif op == "delete" and len(docs) > 5:
            docs.pop(i)
        elif op == "add":
            docs.append(_doc(f"新{step}" + rng.choice(words), text(20), date=date()))
        elif op == "date":
            docs[i] = dataclasses.replace(docs[i], date=date())
        else:
            for _ in range(rng.randint(2, 5)):
                i = rng.randrange(len(docs))
                docs[i] = dataclasses.replace(docs[i], body=docs[i].body + " " + rng.choice(words))
        stats, _ = site.build(workers=rng.choice([1, 2]), patch_min_shards=2)
        modes.append(stats.mode)
    assert modes.count("incremental") >= 35  # the others: the shard count changed


def test_record_keys_match_the_unique_reference():
    """build.record_keys (keyed by each record's own alphabet) = np.unique over the three texts' keys."""
    rng = random.Random(23)
    pool = ("财政预算公开補貼就业县 \t\n" + "".join(chr(0x4E00 + i) for i in range(3000)) + "\x00abcＰ１"
            + "𠀀𠀁")
    cases = [("", "", ""), (" ", "a", ""), ("𠀀字𠀁", "\x00x", "字 字字 字字字"),
             ("", "", "".join(chr(0x4E00 + i) for i in range(1100))),  # > 1,024 characters: 64-bit keys
             ("", "", "".join(chr(0x100 + i) for i in range(33_000)))]
    for _ in range(150):
        cases.append(tuple("".join(rng.choice(pool[:rng.choice([12, 60, 3000, len(pool)])])
                                   for _ in range(rng.choice([0, 3, 40, 400]))) for _ in range(3)))
    for texts in cases:
        codes = [sbuild.fold_codes(t) for t in texts]
        per_level = [sbuild._keys(c) for c in codes]
        k = np.concatenate(per_level)
        lv_all = np.repeat(np.arange(3, dtype=np.uint8), [len(x) for x in per_level])
        uk, first = np.unique(k, return_index=True)
        got_k, got_lv = sbuild.record_keys(codes)
        assert got_k.dtype == np.uint64 and got_lv.dtype == np.uint8
        assert np.array_equal(got_k, uk) and np.array_equal(got_lv, lv_all[first]), texts


def test_a_cache_entry_gives_back_the_keys_levels_and_doc_it_was_given(tmp_path):
    """The gram cache stores keys in the record's own alphabet (4 bytes a gram); records with more than
    1,024 distinct characters, or characters outside the BMP, must come back exactly too."""
    rng = random.Random(31)
    pool = "财政预算公开補貼就业县 " + "".join(chr(0x4E00 + i) for i in range(3000)) + "abcＰ１𠀀𠀁"
    cases = [("", "", ""), ("字", "", ""), ("𠀀字𠀁", "x", "字 字字 字字字"),
             ("", "", "".join(chr(0x4E00 + i) for i in range(1100)))]  # too many characters: 64-bit keys
    cases += [tuple("".join(rng.choice(pool[:rng.choice([12, 60, 3000, len(pool)])])
                            for _ in range(rng.choice([0, 3, 40, 400]))) for _ in range(3)) for _ in range(60)]
    packed = 0
    for n, texts in enumerate(cases):
        codes = [sbuild.fold_codes(t) for t in texts]
        uk, lv = sbuild.record_keys(codes)
        words = sbuild.record_words(codes)
        h = f"{n:040x}"
        sbuild.write_entry(str(tmp_path), h, sbuild.Entry(uk, lv, 7 * n, f"doc{n}".encode(), words))
        got = sbuild.read_entry(str(tmp_path), h)
        assert got is not None, texts
        assert np.array_equal(got[0], uk) and got[0].dtype == np.uint64, texts
        assert np.array_equal(got[1], lv) and got[1].dtype == np.uint8, texts
        assert got[2:4] == (7 * n, f"doc{n}".encode())
        if words is not None:  # not 9 bytes a gram (as beyond the BMP, or past 1,024 characters)
            packed += 1
            assert os.path.getsize(sbuild.entry_path(str(tmp_path), h)) <= 40 + 4 * len(uk) + len(f"doc{n}")
    assert packed >= 10


def test_a_cache_entry_cut_short_is_computed_again_and_one_written_again_is_a_new_file(tmp_path):
    """Entries are written straight into their files (no temporary file renamed): a file a killed build
    cut short, anywhere, reads as no entry; writing an entry that is there makes a new file, so a reader
    holding the old one (or a hard link to it) keeps what it had."""
    cache = str(tmp_path)
    codes = [sbuild.fold_codes(t) for t in ("财政预算", "财政局", "一般公共预算收入 " * 40)]
    uk, lv = sbuild.record_keys(codes)
    for words in (sbuild.record_words(codes), None):  # both layouts
        entry = sbuild.Entry(uk, lv, 99, b'{"t":"doc"}', words)
        h = "ab" * 20
        sbuild.write_entry(cache, h, entry)
        path = sbuild.entry_path(cache, h)
        whole = Path(path).read_bytes()
        for cut in (0, 7, 40, 41, len(whole) // 2, len(whole) - 1):
            Path(path).write_bytes(whole[:cut])
            assert sbuild.read_entry(cache, h) is None, cut
        held = Path(path + ".held")
        os.link(path, held)
        sbuild.write_entry(cache, h, entry)  # over the cut one: a new file
        assert Path(path).read_bytes() == whole and held.read_bytes() == whole[:len(whole) - 1]
        got = sbuild.read_entry(cache, h)
        assert got is not None and np.array_equal(got[0], uk) and got[2:4] == (99, b'{"t":"doc"}')
        held.unlink()


@pytest.mark.parametrize("records", [3, 2048, 2049])
def test_postings_sort_by_key_then_record_as_a_stable_argsort(records):
    """_sort_postings packs key and record into one value up to 2,048 records (argsort past them)."""
    rng = np.random.default_rng(records)
    keys, counts = [], []
    for _ in range(records):
        uni = rng.integers(33, 0x10FFFF, 5)
        big = (rng.integers(33, 0x10FFFF, 5) << 21) | rng.integers(33, 0x10FFFF, 5)
        tri = (1 << 59) | (rng.integers(33, 0x10000, 5) << 32) | (rng.integers(33, 0x10000, 5) << 16) | rng.integers(33, 0x10000, 5)
        k = np.unique(np.concatenate((uni, big, tri, [0x4E00, (0x4E00 << 21) | 0x4E01])).astype(np.uint64))
        keys.append((k << np.uint64(2)) | rng.integers(0, 3, len(k)).astype(np.uint64))
        counts.append(len(k))
    ck = np.concatenate(keys)
    rec = np.repeat(np.arange(records, dtype=np.uint16), counts)
    order = np.argsort(ck, kind="stable")
    got_ck, got_rec = sbuild._sort_postings(ck.copy(), rec.copy())  # it sorts its arguments in place
    assert got_ck.dtype == np.uint64 and got_rec.dtype == np.uint16
    assert np.array_equal(got_ck, ck[order]) and np.array_equal(got_rec, rec[order])


def test_spilled_parallel_build_writes_the_same_files_as_serial(tmp_path, monkeypatch):
    rng = random.Random(29)
    words = ["财政", "预算", "公开", "補貼", "就业", "ＰＰＰ", "〔2023〕3号", "12345", "医疗保险", "县", "𠀀"]
    docs = [_doc(f"记录{i}" + rng.choice(words), " ".join(rng.choice(words) for _ in range(rng.choice([0, 5, 60]))),
                 date=f"20{10 + i % 15}-01-01") for i in range(90)]
    deps, doms = [("finance", "县财政局")], [("fiscal", "财政预决算")]
    a = build_search_index(docs, tmp_path / "a", deps, doms, workers=1)
    monkeypatch.setattr(sbuild, "SPILL_POSTINGS", 0)
    monkeypatch.setattr(sbuild, "PARTITION_POSTINGS", 200)  # many partitions, some of them empty
    b = build_search_index(docs, tmp_path / "b", deps, doms,
                           parallel=Parallelism(workers=2, search_min_docs=0, search_docs_per_task=8))
    assert b.workers == 2 and (a.grams, a.postings, a.shards) == (b.grams, b.postings, b.shards)
    files_a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in sorted((tmp_path / "a").rglob("*.js"))}
    files_b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in sorted((tmp_path / "b").rglob("*.js"))}
    assert files_a == files_b
    assert not list((tmp_path / "b").glob(".search-runs-*"))


def test_the_build_process_leaves_numpy_to_the_process_that_builds_the_index(tmp_path):
    """Only the search index's process needs numpy (~65 ms to import): a build's own process makes the
    documents and starts that process, and never imports it (outputs/search/writer.py)."""
    import subprocess
    import sys

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    script = ("import sys\nfrom site_builder.commands.build import build_site\n"
              f"build_site({str(project / 'mkdocs.yml')!r}, site_dir={str(tmp_path / 'site')!r})\n"
              "print('numpy' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=project, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "site" / "search" / "meta.js").is_file()
    assert done.stdout.strip().splitlines()[-1] == "False"
