#!/usr/bin/env python3
"""Deterministic benchmark corpus generator for the disclosure site (issue 7).

    python bench/generate.py --records 10000 --out /tmp/bench/corpus-10000 [--seed 1] [--short]

writes a complete project into --out:

    catalogue/domains.yml, departments.yml, items.yml     (the contract of shared/DESIGN.md)
    content/index.md                                      (short home page)
    content/records/<department-id>/<year>/<serial>.md    (N disclosure records)
    mkdocs.yml                                            (our build: theme custom_dir + disclosure plugin)
    mkdocs.vanilla.yml                                    (vanilla Material baseline: search+jieba, tags)
    hugo/                                                 (the Hugo baseline over the same records: hugo_site.py)

--short writes the same records (same metadata, same contract) with short bodies instead: 300-800
characters, about half of them a one-paragraph notice, the rest one or two short sections, as the
notices of real county sites are.

Only the standard library and PyYAML are used, and the output is byte-identical for the same
--records/--seed (every record draws from its own random.Random seeded with "<seed>:<n>", and no
set or hash order is ever iterated). The place (云溪县) and all names are fictional. The generator
never writes a run of 11 or more digits (so no mobile-phone-like or ID-card-like numbers); this is
checked on every record.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import json
import re
import random
import shutil
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_data as D  # noqa: E402
import hugo_site  # noqa: E402
from hant_map import to_traditional  # noqa: E402

GENERATOR_VERSION = "1"
MARKER = ".bench-corpus"
REPO_ROOT = Path(__file__).resolve().parents[1]
THEME_DIR = REPO_ROOT / "theme"

START = dt.date(2016, 1, 1)
END = dt.date(2026, 11, 20)
SPAN = (END - START).days

LONG_DIGITS = re.compile(r"\d{11}")


# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------
def build_catalogue(seed: int):
    rng = random.Random(f"{seed}:catalogue")
    domains = [{"id": d["id"], "name": d["name"], "description": d["description"]} for d in D.DOMAINS]

    codes: list[str] = []
    while len(codes) < len(D.DEPARTMENTS):
        code = f"{rng.randrange(1, 10**9):09d}"
        if code not in codes:
            codes.append(code)
    departments = []
    for (dep_id, name, _prefix, doms), code in zip(D.DEPARTMENTS, codes):
        departments.append({"id": dep_id, "name": name, "code": code, "domains": list(doms)})

    responsible: dict[str, list[str]] = {d["id"]: [] for d in D.DOMAINS}
    for dep in departments:
        for dom in dep["domains"]:
            responsible[dom].append(dep["id"])

    items = []
    for dom in D.DOMAINS:
        resp = responsible[dom["id"]]
        for k, (slug, name, content, freq, mode) in enumerate(dom["items"]):
            if k == 0 or len(resp) == 1:
                deps = list(resp)  # the first item of a domain names every responsible department
            else:
                chosen = rng.sample(resp, rng.randint(1, len(resp)))
                deps = [d for d in resp if d in chosen]
            time_limit = {
                "monthly": "每月10日前", "quarterly": "每季度结束后15个工作日内", "yearly": "每年3月31日前",
            }.get(freq) or rng.choice([D.TIME_LIMITS[0], D.TIME_LIMITS[5], D.TIME_LIMITS[6], D.TIME_LIMITS[7]])
            channels = ["政府网站"] + rng.sample(D.CHANNELS[1:], rng.randint(1, 3))
            channels = [c for c in D.CHANNELS if c in channels]
            levels = rng.choice([["县级"], ["县级", "乡级"], ["市级", "县级"], ["县级", "乡级", "村级"]])
            items.append({
                "id": f"{dom['id']}-{slug}",
                "domain": dom["id"],
                "group": dom["group"],
                "name": name,
                "content": content,
                "basis": f"{rng.choice(dom['laws'])}第{D.CN_NUM[rng.randrange(12)]}条",
                "time_limit": time_limit,
                "frequency": freq,
                "departments": deps,
                "channels": channels,
                "audience": "特定群体" if rng.random() < 0.15 else "全社会",
                "mode": mode,
                "levels": levels,
            })
    return domains, departments, items


class _Flow(list):
    """A list written in flow style (`domains: [fiscal]`), as in the contract's examples."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def dump_yaml(rows) -> str:
    rows = [{k: _Flow(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows]
    return yaml.dump(rows, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


# ---------------------------------------------------------------------------------------------
# Slot filling
# ---------------------------------------------------------------------------------------------
class Ctx:
    """Per-record context: rng, record facts and the vocabulary to draw from."""

    __slots__ = ("rng", "year", "dept_name", "objects", "laws", "genre", "dept_id", "all_objects")

    def __init__(self, rng, year, dept_id, dept_name, objects, laws, genre, all_objects):
        self.rng = rng
        self.year = year
        self.dept_id = dept_id
        self.dept_name = dept_name
        self.objects = objects
        self.laws = laws
        self.genre = genre
        self.all_objects = all_objects


DEPT_NAMES = [d[1] for d in D.DEPARTMENTS]
GENERAL_LAWS = ["《中华人民共和国政府信息公开条例》", "《中华人民共和国行政许可法》", "《中华人民共和国行政处罚法》",
                "《优化营商环境条例》", "《中华人民共和国预算法》", "《党政机关厉行节约反对浪费条例》"]


def village(r):
    name = r.choice(D.VILLAGE_A) + r.choice(D.VILLAGE_B)
    if r.random() < 0.3:
        name = r.choice(D.VILLAGE_A) + name
    return name + r.choice(D.VILLAGE_C)


def company(r):
    return (r.choice(["云溪县", "江苏", "常州", "云溪", ""]) + r.choice(D.BRAND_CHARS) + r.choice(D.BRAND_CHARS)
            + r.choice(D.INDUSTRIES) + r.choice(["有限公司", "有限公司", "股份有限公司", "集团有限公司"]))


def project(r):
    where = r.random()
    if where < 0.4:
        place = r.choice(D.TOWNS)
    elif where < 0.7:
        place = r.choice(D.ROADS)
    else:
        place = r.choice(D.TOWNS) + village(r)
    return place + r.choice(D.PROJECT_KINDS)


def amount(r):
    x = r.random()
    if x < 0.55:
        return f"{r.uniform(3, 9999):.2f}万元"
    if x < 0.85:
        return f"{r.randrange(5, 30000)}万元"
    return f"{r.uniform(0.1, 60):.2f}亿元"


def count(r, small=False):
    unit, lo, hi = r.choice(D.MEASURE_WORDS)
    if small:
        hi = max(lo + 1, hi // 20)
    return f"{r.randint(lo, hi)}{unit}"


def cn_date(r, year):
    d = dt.date(year, 1, 1) + dt.timedelta(days=r.randrange(365))
    return f"{d.year}年{d.month}月{d.day}日"


def policy(c: Ctx):
    r = c.rng
    y = c.year - r.randint(0, 3)
    doc = ""
    if r.random() < 0.4:
        doc = f"（{r.choice(['国办发', '苏政发', '苏政办发', '常政发', '溪政发', '溪政办发'])}〔{y}〕{r.randint(1, 120)}号）"
    return (f"《{r.choice(D.POLICY_ISSUERS)}关于{r.choice(D.VERBS)}{r.choice(c.objects)}的"
            f"{r.choice(D.POLICY_GENRES)}》{doc}")


def obj(c: Ctx):
    r = c.rng
    return r.choice(c.objects) if r.random() < 0.9 else r.choice(c.all_objects)


SLOT_FUNCS = {
    "town": lambda c: c.rng.choice(D.TOWNS),
    "town2": lambda c: c.rng.choice(D.TOWNS),
    "village": lambda c: village(c.rng),
    "road": lambda c: c.rng.choice(D.ROADS),
    "road2": lambda c: c.rng.choice(D.ROADS),
    "road3": lambda c: c.rng.choice(D.ROADS),
    "project": lambda c: project(c.rng),
    "company": lambda c: company(c.rng),
    "amount": lambda c: amount(c.rng),
    "amount2": lambda c: amount(c.rng),
    "amount_small": lambda c: f"{c.rng.uniform(5, 300):.1f}万元",
    "amount_big": lambda c: f"{c.rng.uniform(20, 480):.2f}亿元",
    "pct": lambda c: f"{c.rng.uniform(0.5, 99.9):.1f}%",
    "pct2": lambda c: f"{c.rng.uniform(85, 99.9):.1f}%",
    "pct_small": lambda c: f"{c.rng.uniform(0.1, 9.9):.1f}",
    "count": lambda c: count(c.rng),
    "count2": lambda c: count(c.rng, small=True),
    "date": lambda c: cn_date(c.rng, c.year),
    "date2": lambda c: cn_date(c.rng, c.year),
    "deadline": lambda c: c.rng.choice(D.DEADLINES),
    "obj": obj, "obj2": obj, "obj3": obj,
    "law": lambda c: c.rng.choice(c.laws) if c.rng.random() < 0.75 else c.rng.choice(GENERAL_LAWS),
    "policy": policy,
    "verb": lambda c: c.rng.choice(D.VERBS),
    "verb2": lambda c: c.rng.choice(D.VERBS),
    "adv": lambda c: c.rng.choice(D.ADVERBS),
    "goal": lambda c: c.rng.choice(D.GOALS),
    "ideology": lambda c: c.rng.choice(D.IDEOLOGY),
    "subject": lambda c: c.rng.choice(D.SUBJECTS),
    "problem": lambda c: c.rng.choice(D.PROBLEMS),
    "problem2": lambda c: c.rng.choice(D.PROBLEMS),
    "dept": lambda c: c.dept_name if c.rng.random() < 0.5 else c.rng.choice(DEPT_NAMES),
    "dept2": lambda c: c.rng.choice(DEPT_NAMES),
    "person": lambda c: c.rng.choice(D.PERSONS).format(surname=c.rng.choice(D.SURNAMES), dept=c.dept_name),
    "phone": lambda c: f"0519-8{c.rng.randrange(10**7):07d}",
    "abbr": lambda c: c.rng.choice(D.ABBRS),
    "years": lambda c: str(c.rng.randint(2, 30)),
    "n1": lambda c: str(c.rng.randint(6, 30)),
    "n2": lambda c: str(c.rng.randint(1, 5)),
    "n3": lambda c: str(c.rng.randint(300, 365)),
    "big": lambda c: str(c.rng.randint(100, 20000)),
    "quarter": lambda c: c.rng.choice("一二三四"),
    "floor": lambda c: str(c.rng.randint(1, 12)),
    "postcode": lambda c: f"213{c.rng.randrange(1000):03d}",
    "score": lambda c: f"{c.rng.uniform(78, 99):.1f}",
    "grade": lambda c: c.rng.choice(D.GRADES),
    "period": lambda c: c.rng.choice(["月", "季度", "半年", "年"]),
    "slogan": lambda c: c.rng.choice(D.SLOGANS),
    "surname": lambda c: c.rng.choice(D.SURNAMES),
    "surname2": lambda c: c.rng.choice(D.SURNAMES),
    "surname3": lambda c: c.rng.choice(D.SURNAMES),
    "title": lambda c: c.rng.choice(D.TITLES_PERSON),
    "email": lambda c: f"{c.dept_id.replace('-', '')}{c.rng.randint(1, 99)}@yunxi.gov.cn",
    "genre_word": lambda c: c.genre if c.genre in ("通知", "办法", "意见", "方案", "决定") else "文件",
    "year": lambda c: str(c.year),
    "year2": lambda c: str(c.year + 2),
    "n": lambda c: str(c.rng.randint(1, 60)),
}


class Slots(dict):
    __slots__ = ("c",)

    def __init__(self, c):
        super().__init__()
        self.c = c

    def __missing__(self, key):
        v = SLOT_FUNCS[key](self.c)
        self[key] = v
        return v


def fill(template: str, c: Ctx) -> str:
    return template.format_map(Slots(c))


# ---------------------------------------------------------------------------------------------
# Record bodies
# ---------------------------------------------------------------------------------------------
OPENINGS = {
    "通知": "为{adv}贯彻落实{policy}，{goal}，根据{law}有关规定，结合我县实际，现就{obj}有关事项通知如下。",
    "公告": "根据{law}和{policy}，经县人民政府同意，现将{obj}有关事项公告如下。",
    "通报": "{date}至{date2}，{dept}组织对全县{obj}情况开展了专项检查。现将有关情况通报如下。",
    "意见": "为{adv}{verb}{obj}，{goal}，根据{policy}精神，结合我县实际，提出如下意见。",
    "办法": "为规范{obj}管理，提高资金使用效益，根据{law}等有关规定，结合本县实际，制定本办法。",
    "报告": "{year}年，{dept}坚持以{ideology}为指导，{adv}{verb}{obj}，各项工作取得明显成效。现将有关情况报告如下。",
    "方案": "为{adv}{verb}{obj}，{goal}，根据{policy}要求，制定本方案。",
    "公示": "根据{law}及{policy}有关规定，现将{obj}有关情况予以公示，接受社会监督。",
    "批复": "你单位《关于{obj}的请示》收悉。经研究，现批复如下。",
    "决定": "为{adv}{verb}{obj}，根据{law}，经县人民政府研究，决定如下。",
    "解读": "近日，{dept}印发了{policy}。为便于社会公众全面了解相关政策，现就有关内容解读如下。",
    "函": "{dept}：你单位关于{obj}的来函收悉。经研究，现就有关事项函复如下。",
}
CLOSINGS = {"通知": "特此通知。", "公告": "特此公告。", "通报": "特此通报。", "公示": "公示期为{n1}个工作日。特此公示。",
            "批复": "此复。", "函": "特此函复。", "决定": "本决定自发布之日起施行。"}


def heading_text(c: Ctx, options):
    return c.rng.choice(options)


def list_block(c: Ctx) -> str:
    r = c.rng
    lines = []
    for n in range(1, r.randint(3, 6) + 1):
        lead = fill(r.choice(["{verb}{obj}", "{adv}{verb}{obj}", "做好{obj}工作", "{obj}", "抓好{town}{obj}"]), c)
        lines.append(f"{n}. **{lead}**。{fill(r.choice(D.SENTENCES), c)}")
    return "\n".join(lines)


def table_block(c: Ctx) -> str:
    r = c.rng
    kind = r.randrange(len(D.TABLE_KINDS))
    header = D.TABLE_KINDS[kind]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for n in range(1, r.randint(4, 12) + 1):
        if kind == 0:
            cells = [r.choice(D.TOWNS), project(r), f"{r.uniform(10, 5000):.2f}", f"{r.uniform(30, 100):.1f}%"]
        elif kind == 1:
            cells = [r.choice(DEPT_NAMES), fill("{obj}", c), str(r.randint(1, 500)), r.choice(["已完成", "推进中", "—", "按期"])]
        elif kind == 2:
            cells = [r.choice(D.SURNAMES) + "某某", r.choice(D.TOWNS) + village(r), str(r.randint(200, 30000)),
                     r.choice(["低保", "特困", "低边", "临时救助", "一类", "二类"])]
        elif kind == 3:
            cells = [company(r), cn_date(r, c.year), str(r.randint(0, 25)), r.choice(["已整改", "整改中", "已立案", "限期整改"])]
        elif kind == 4:
            cells = [project(r), fill("{obj}及配套设施", c), f"{r.uniform(100, 90000):.0f}", r.choice(DEPT_NAMES)]
        else:
            cells = [fill("{obj}", c), r.choice(["万元", "亿元", "户", "人", "%", "个"]), f"{r.uniform(1, 9999):.1f}",
                     f"{r.uniform(-8, 25):.1f}%"]
        rows.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def paragraph(c: Ctx, n_sent: int) -> str:
    r = c.rng
    return "".join(fill(r.choice(D.SENTENCES), c) for _ in range(n_sent))


def make_body(c: Ctx, target: int, with_table: bool, date: dt.date) -> str:
    r = c.rng
    genre = c.genre
    out = [fill(OPENINGS[genre], c)]
    length = len(out[0])
    sections = D.HEADINGS[genre]
    budget = max(200, (target - length) // len(sections))
    table_at = r.randrange(len(sections)) if with_table else -1
    for k, options in enumerate(sections):
        out.append(f"## {D.ORDINAL[k]}、{heading_text(c, options)}")
        spent = 0
        sub = 0
        use_sub = r.random() < 0.3
        while spent < budget:
            if use_sub and (spent == 0 or r.random() < 0.35) and sub < 6:
                out.append(f"### （{D.ORDINAL[sub]}）{fill(r.choice(['{verb}{obj}', '关于{obj}', '{obj}情况']), c)}")
                sub += 1
            x = r.random()
            if x < 0.15:
                block = list_block(c)
            else:
                block = paragraph(c, r.randint(2, 5))
            out.append(block)
            spent += len(block)
            if k == table_at:
                t = table_block(c)
                out.append(fill("{obj}情况详见下表：", c))
                out.append(t)
                spent += len(t) // 3
                table_at = -1
    closing = CLOSINGS.get(genre)
    if closing:
        out.append(fill(closing, c))
    out.append(fill("联系人：{surname}{title}，联系电话：{phone}。", c))
    out.append(f"{c.dept_name}  \n{date.year}年{date.month}月{date.day}日")
    return "\n\n".join(out) + "\n"


SHORT_LEADS = ["现将有关事项公告如下：", "现将有关情况公示如下：", "现就有关事项通知如下：", "具体情况如下：", ""]


def make_short_body(c: Ctx, target: int, date: dt.date) -> str:
    """A short body (the --short profile): one paragraph (about half), or one or two short `##`
    sections; `target` characters in all, give or take one sentence."""
    r = c.rng
    genre = c.genre
    opening = fill(OPENINGS[genre], c)
    tail = [fill(CLOSINGS[genre], c)] if genre in CLOSINGS else []
    tail += [fill("联系电话：{phone}。", c), f"{c.dept_name}  \n{date.year}年{date.month}月{date.day}日"]
    budget = target - len(opening) - sum(len(t) for t in tail)
    if r.random() < 0.5:  # a one-paragraph notice
        para = opening + ("" if opening.endswith("如下。") else r.choice(SHORT_LEADS))
        while len(para) - len(opening) < budget:
            para += fill(r.choice(D.SENTENCES), c)
        out = [para]
    else:
        out = [opening]
        sections = D.HEADINGS[genre][:r.randint(1, 2)]
        per = max(60, budget // len(sections))
        for k, options in enumerate(sections):
            out.append(f"## {D.ORDINAL[k]}、{heading_text(c, options)}")
            para = ""
            while len(para) < per:
                para += fill(r.choice(D.SENTENCES), c)
            out.append(para)
    return "\n\n".join(out + tail) + "\n"


# ---------------------------------------------------------------------------------------------
# Record planning (metadata), then writing
# ---------------------------------------------------------------------------------------------
def zipf_cum(n, s=1.0):
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


def pick(rng, seq, cum):
    return seq[bisect.bisect(cum, rng.random() * cum[-1])]


def plan_records(n: int, seed: int, departments, items):
    rng = random.Random(f"{seed}:plan")
    dep_ids = [d["id"] for d in departments]
    dep_cum = list(itertools.accumulate(D.DEPARTMENT_WEIGHTS.get(d, 2) for d in dep_ids))
    dep_by_id = {d["id"]: d for d in departments}
    items_for = {}  # (dept, domain) -> [item ids]
    for it in items:
        for dep in it["departments"]:
            items_for.setdefault((dep, it["domain"]), []).append(it["id"])
    genre_cum = list(itertools.accumulate(D.GENRE_WEIGHTS))
    plan = []
    for i in range(n):
        dep = pick(rng, dep_ids, dep_cum)
        day = int(SPAN * rng.random() ** 0.8)  # more recent years publish more
        date = START + dt.timedelta(days=day)
        doms = list(dep_by_id[dep]["domains"])
        primary = rng.choice(doms)
        domains = [primary]
        if len(doms) > 1 and rng.random() < 0.2:
            second = rng.choice([d for d in doms if d != primary])
            domains = [d for d in doms if d in (primary, second)]
        cands = items_for.get((dep, primary), [])
        item = rng.choice(cands) if cands and rng.random() < 0.85 else None
        genre = pick(rng, D.GENRES, genre_cum)
        dtime = None
        if rng.random() < 0.15:
            dtime = (rng.randint(8, 18), rng.choice([0, 0, 15, 30, 45, rng.randrange(60)]), 0)
        plan.append({"n": i, "dept": dep, "date": date, "time": dtime, "primary": primary,
                     "domains": domains, "item": item, "genre": genre})
    # serials follow publication order within department and year
    plan.sort(key=lambda p: (p["dept"], p["date"], p["time"] or (0, 0, 0), p["n"]))
    serial = {}
    last_policy = {}
    for p in plan:
        key = (p["dept"], p["date"].year)
        serial[key] = serial.get(key, 0) + 1
        p["serial"] = serial[key]
        p["index_no"] = f"{dep_by_id[p['dept']]['code']}/{p['date'].year}-{serial[key]:05d}"
        p["interprets"] = None
        if p["genre"] == "解读":
            p["interprets"] = last_policy.get(p["dept"])
        elif p["genre"] in ("通知", "意见", "办法", "方案", "决定"):
            last_policy[p["dept"]] = p["index_no"]
    plan.sort(key=lambda p: p["n"])
    return plan


ALL_TAGS = [t for d in D.DOMAINS for t in d["tags"]]
DOMAIN_BY_ID = {d["id"]: d for d in D.DOMAINS}
ALL_OBJECTS = [o for d in D.DOMAINS for o in d["objects"]]
DEPT_PREFIX = {d[0]: d[2] for d in D.DEPARTMENTS}
DEPT_NAME = {d[0]: d[1] for d in D.DEPARTMENTS}
ITEM_NAMES: dict[str, str] = {}


def global_tag_order(seed: int):
    rng = random.Random(f"{seed}:tags")
    order = list(ALL_TAGS)
    rng.shuffle(order)
    return order, zipf_cum(len(order), 1.05)


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


SUMMARIES = [
    "本{genre_word}明确了{obj}的适用范围、办理程序和保障措施，自发布之日起施行。",
    "公开{year}年{obj}相关情况，包括资金安排、实施进度及绩效目标。",
    "{dept}就{obj}有关事项作出安排部署，要求{subject}{adv}{verb}{obj2}。",
    "内容涉及{obj}、{obj2}等，请相关单位和群众知悉。",
    "{town}{village}等地{obj}有关情况，公示期内接受社会监督。",
]
DOMAIN_CUM = zipf_cum(8, 0.8)


def render_record(p, seed: int, tag_order, tag_cum, short: bool = False):
    rng = random.Random(f"{seed}:{p['n']}")
    dom = DOMAIN_BY_ID[p["primary"]]
    year = p["date"].year
    dept_name = DEPT_NAME[p["dept"]]
    c = Ctx(rng, year, p["dept"], dept_name, dom["objects"], dom["laws"], p["genre"], ALL_OBJECTS)

    # title
    if p["item"] and rng.random() < 0.4:
        iname = ITEM_NAMES[p["item"]]
        title = rng.choice([f"{dept_name}{year}年{iname}", f"{dept_name}关于{year}年{iname}的公告",
                            f"{year}年{iname}信息公开", f"{iname}（{year}年第{rng.choice('一二三四')}季度）"])
    else:
        title = fill(rng.choice(D.TITLE_PATTERNS[p["genre"]]), c)

    # tags: 1-5, partly from the record's own domain, partly from the global Zipf-ranked pool
    ntags = pick(rng, [1, 2, 3, 4, 5], [15, 45, 75, 90, 100])
    tags: list[str] = []
    for _ in range(ntags):
        t = pick(rng, dom["tags"], DOMAIN_CUM) if rng.random() < 0.6 else pick(rng, tag_order, tag_cum)
        if t not in tags:
            tags.append(t)

    doc_no = None
    if rng.random() < (0.55 if p["genre"] in ("通知", "意见", "办法", "方案", "决定", "批复", "函") else 0.1):
        doc_no = f"{DEPT_PREFIX[p['dept']]}〔{year}〕{rng.randint(1, 150)}号"
    summary = fill(rng.choice(SUMMARIES), c) if rng.random() < 0.5 else None
    written = None
    if rng.random() < 0.5:
        written = p["date"] - dt.timedelta(days=rng.randint(0, 10))
    validity = None
    if p["genre"] in ("通知", "意见", "办法", "方案", "决定"):
        x = rng.random()
        validity = "有效"
        if year < 2021 and x < 0.3:
            validity = "失效"
        elif year < 2021 and x < 0.36:
            validity = "废止"
    elif rng.random() < 0.3:
        validity = "有效"

    target = rng.randint(1500, 3000) * 6 // 5  # budget counts all characters; ~83% of them are Han
    with_table = rng.random() < 0.2
    if short:  # the front matter above drew the same numbers: the same records, shorter bodies
        body = make_short_body(c, rng.randint(300, 700), p["date"])
    else:
        body = make_body(c, target, with_table, p["date"])

    traditional = rng.random() < 0.02
    if traditional:
        title = to_traditional(title)
        body = to_traditional(body)
        if summary:
            summary = to_traditional(summary)

    if p["time"]:
        h, m, s = p["time"]
        date_s = f"{p['date'].isoformat()} {h:02d}:{m:02d}:{s:02d}"
    else:
        date_s = p["date"].isoformat()
    fm = ["---", f"title: {q(title)}", f"index_no: {p['index_no']}", f"date: {date_s}",
          f"department: {p['dept']}", f"domains: [{', '.join(p['domains'])}]"]
    if p["item"]:
        fm.append(f"item: {p['item']}")
    fm.append(f"tags: [{', '.join(q(t) for t in tags)}]")
    if doc_no:
        fm.append(f"doc_no: {q(doc_no)}")
    if written:
        fm.append(f"written: {written.isoformat()}")
    if summary:
        fm.append(f"summary: {q(summary)}")
    fm.append(f"genre: {p['genre']}")
    if validity:
        fm.append(f"validity: {validity}")
    if p["interprets"]:
        fm.append(f"interprets: {p['interprets']}")
    fm.append("---")
    text = "\n".join(fm) + "\n" + body
    if LONG_DIGITS.search(text):
        raise AssertionError(f"record {p['index_no']}: generated a run of 11+ digits: "
                             f"{LONG_DIGITS.search(text).group(0)}")
    return text


# ---------------------------------------------------------------------------------------------
# Project files
# ---------------------------------------------------------------------------------------------
INDEX_MD = """\
# 云溪县政府信息公开（基准测试）

本站点由基准测试语料生成器自动生成，用于比较构建速度、内存占用与输出体积。
站内所有机构、地名、企业和项目名称均为虚构。

- 政府信息公开指南
- 法定主动公开内容
- 政府信息公开年报
- 依申请公开
"""

OUR_MKDOCS = """\
site_name: 基准测试站点
site_url: https://bench.example.gov.cn/
docs_dir: content
site_dir: site
use_directory_urls: false
theme:
  name: material
  custom_dir: {theme}
  language: zh
  font: false  # as in the repository's mkdocs.yml: no Google Fonts request
plugins:
  - disclosure
"""

VANILLA_MKDOCS = """\
# Vanilla Material for MkDocs baseline of issue 7: records out of the nav, Material's search
# plugin with Chinese segmentation (jieba is picked up automatically when installed; the separator
# includes the zero-width space jieba segments are joined with) and Material's tags plugin.
site_name: 基准测试站点
site_url: https://bench.example.gov.cn/
docs_dir: content
site_dir: site-vanilla
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\u3000\\-、。，．？！；]+'
  - tags
nav:
  - index.md
not_in_nav: |
  /records/**
"""


def source_hash() -> str:
    """Hash of the generator's own sources: a cached corpus is stale when they change."""
    h = hashlib.sha256()
    for name in ("generate.py", "corpus_data.py", "hant_map.py", "hugo_site.py"):
        h.update((Path(__file__).resolve().parent / name).read_bytes())
    return h.hexdigest()[:16]


def marker_text(n: int, seed: int, short: bool = False) -> str:
    """Content of the marker file of a complete corpus (run.py compares it to reuse a cached corpus)."""
    return (f"complete\ngenerator {GENERATOR_VERSION}\nsource {source_hash()}\ntheme {THEME_DIR.as_posix()}\n"
            f"records {n}\nseed {seed}\n" + ("profile short\n" if short else ""))


def prepare_out(out: Path, force: bool):
    if out.exists():
        entries = [e for e in out.iterdir()]
        if entries and not (out / MARKER).exists() and not force:
            sys.exit(f"generate.py: {out} exists, is not empty and was not made by this generator "
                     f"(no {MARKER}); pass --force to overwrite it")
        for name in ("catalogue", "content", "hugo"):
            if (out / name).exists():
                shutil.rmtree(out / name)
        if (out / MARKER).exists():
            (out / MARKER).unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("incomplete\n", encoding="utf-8")


def generate(n: int, out: Path, seed: int = 1, force: bool = False, quiet: bool = False,
             short: bool = False) -> dict:
    t0 = time.perf_counter()
    out = Path(out)
    prepare_out(out, force)
    domains, departments, items = build_catalogue(seed)
    for it in items:
        ITEM_NAMES[it["id"]] = it["name"]
    cat = out / "catalogue"
    cat.mkdir()
    for name, data in (("domains", domains), ("departments", departments), ("items", items)):
        (cat / f"{name}.yml").write_text(dump_yaml(data), encoding="utf-8")
    content = out / "content"
    (content / "records").mkdir(parents=True)
    (content / "index.md").write_text(INDEX_MD, encoding="utf-8")
    (out / "mkdocs.yml").write_text(OUR_MKDOCS.format(theme=THEME_DIR.as_posix()), encoding="utf-8")
    (out / "mkdocs.vanilla.yml").write_text(VANILLA_MKDOCS, encoding="utf-8")
    hugo_site.write(out)

    plan = plan_records(n, seed, departments, items)
    tag_order, tag_cum = global_tag_order(seed)
    made_dirs = set()
    total_bytes = 0
    for k, p in enumerate(plan):
        d = content / "records" / p["dept"] / str(p["date"].year)
        if d not in made_dirs:
            d.mkdir(parents=True, exist_ok=True)
            made_dirs.add(d)
        data = render_record(p, seed, tag_order, tag_cum, short).encode("utf-8")
        total_bytes += len(data)
        with open(d / f"{p['serial']:05d}.md", "wb") as f:
            f.write(data)
        if not quiet and (k + 1) % 10000 == 0:
            print(f"  {k + 1} records, {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    (out / MARKER).write_text(marker_text(n, seed, short), encoding="utf-8")
    info = {"records": n, "seed": seed, "profile": "short" if short else "default", "bytes": total_bytes,
            "seconds": round(time.perf_counter() - t0, 2)}
    if not quiet:
        print(f"generated {n} records ({total_bytes / 2**20:.1f} MiB of Markdown) in {out} "
              f"in {info['seconds']} s", file=sys.stderr)
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, required=True, help="number of records to generate")
    ap.add_argument("--out", type=Path, required=True, help="project directory to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="overwrite a non-empty directory not made by us")
    ap.add_argument("--short", action="store_true",
                    help="short bodies (300-800 characters, many one-paragraph notices); same records otherwise")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.records < 1:
        ap.error("--records must be positive")
    generate(a.records, a.out, a.seed, a.force, a.quiet, a.short)


if __name__ == "__main__":
    main()
