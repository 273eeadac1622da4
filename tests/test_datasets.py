"""双公示 and 数据开放 (issue 18): real builds of the sample project with its real CSV files, and each
validation rule on a bad file (named with file, line and column)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from site_builder.sources.catalogue import load_catalogue
from site_builder.sources.datasets import doc_slug, load_datasets, mask_name
from site_builder.sources.problems import Problems

BUILD_DAY = "2026-12-01"
# a penalty whose 公示截止期 is the build day: published on that day, withdrawn from the next one
LAST_DAY = {
    "行政相对人名称": "秦晓璇", "行政相对人类别": "自然人", "统一社会信用代码": "", "法定代表人": "",
    "行政处罚决定书文号": "云市监处罚〔2026〕9001号", "违法行为类型": "未按规定公示营业执照",
    "违法事实": "经查，秦晓璇于2026年6月未在经营场所醒目位置悬挂营业执照。", "处罚依据": "《市场主体登记管理条例》第四十八条第一款",
    "处罚类别": "警告", "处罚内容": "警告", "罚款金额（万元）": "", "没收违法所得、没收非法财物的金额（万元）": "",
    "暂扣或吊销证照名称及编号": "", "处罚决定日期": "2026-06-01", "处罚有效期": BUILD_DAY, "公示截止期": BUILD_DAY,
    "处罚机关": "云溪县市场监督管理局", "处罚机关统一社会信用代码": "11320501MB1000000X", "数据来源单位": "云溪县市场监督管理局",
    "备注": "", "公示日期": "2026-06-03",
}
ID_NUMBER = "11010519491231002X"  # a valid resident ID number (GB 11643 check character), fictitious
FORMULA = '=HYPERLINK("http://x","点我")'  # a formula Excel/WPS would run from a CSV (OWASP “CSV Injection”)


def _append(path: Path, row: dict) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerow([row.get(h, "") for h in header])
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(buf.getvalue())


def _build(project: Path, day: str, site: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "site_builder.cli", "build", "-f", str(project / "mkdocs.yml"),
                           "-d", str(site), "--build-date", day], cwd=project, capture_output=True, text=True,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _natural_persons(project: Path) -> list[str]:
    names = []
    for name in ("xk-2026", "cf-2026"):
        with (project / "content/data" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            names += [r["行政相对人名称"] for r in csv.DictReader(fh) if r["行政相对人类别"] == "自然人"]
    return names


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("datasets") / "project")
    _append(project / "content/data/cf-2026.csv", LAST_DAY)
    # an organisation's row mentioning a person's ID number in a published cell is refused (tested
    # below); here, an ID number in a natural person's 统一社会信用代码 column is never published
    row = dict(LAST_DAY, **{"行政处罚决定书文号": "云市监处罚〔2026〕9002号", "行政相对人名称": "邹雨萱",
                            "统一社会信用代码": ID_NUMBER, "公示截止期": "2029-06-01", "违法事实": "经查，邹雨萱未悬挂营业执照。"})
    _append(project / "content/data/cf-2026.csv", row)
    # the last row of a table dataset: a formula in a text column, a negative number in a number column
    table = project / "content/data/czzj-zhida-2026.csv"
    rows = list(csv.reader(table.open(encoding="utf-8", newline="")))
    rows[-1][0], rows[-1][4] = FORMULA, "-3"
    with table.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    site = project / "site"
    done = _build(project, BUILD_DAY, site)
    return project, site, done.stdout + done.stderr


def _html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_catalogue_page_lists_every_dataset_with_downloads(built):
    project, site, _ = built
    page = _html(site, "opendata/index.html")
    for name in ("行政许可决定信息", "行政处罚决定信息", "财政资金直达基层项目分配及支出情况", "城乡最低生活保障情况"):
        assert name in page
    assert "云溪县市场监督管理局" in page and "云溪县民政局" in page
    assert 'href="../data/datasets/xk-2026.csv"' in page and 'href="../data/datasets/dibao-2026.json"' in page
    assert ">8<" in page  # 低保: eight towns
    assert "2026-10-31" in page  # last update of the table datasets: the latest date in their rows
    index = _html(site, "index.html")  # in the nav
    assert "opendata/index.html" in index and "sgs/index.html" in index


def test_listings_paginated_newest_first_with_filters(built):
    project, site, _ = built
    first = _html(site, "sgs/xk/all.html")
    items = re.findall(r'<li class="dx-list__item"><a class="dx-list__title" href="doc/([0-9a-f]{16})\.html"', first)
    assert len(items) == 20
    dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', first)
    assert dates == sorted(dates, reverse=True)
    assert (site / "sgs/xk/all/2.html").is_file() and (site / "sgs/xk/all/13.html").is_file()
    assert not (site / "sgs/xk/all/14.html").exists()  # 260 licences, 20 a page
    # filters: by 机构, 类别, year, each a listing of its own
    assert 'href="d-housing.html"' in first and 'href="c-putong.html"' in first and 'href="y-2025.html"' in first
    housing = _html(site, "sgs/xk/d-housing.html")
    assert "云溪县住房和城乡建设局的行政许可决定" in housing
    assert "云卫医许" not in housing and "云建施许" in housing
    fines = _html(site, "sgs/cf/c-fakuan.html")
    assert "罚款" in fines and "警告</span></div>" not in fines
    # no listing page grows with the rows
    sizes = [p.stat().st_size for p in (site / "sgs").rglob("*.html") if "/doc/" not in p.as_posix()]
    assert max(sizes) < 120_000


def test_decision_page_permanent_url_and_fields(built):
    project, site, _ = built
    with (project / "content/data/xk-2026.csv").open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["行政相对人类别"] == "法人及非法人组织")
    doc_no = row["行政许可决定文书号"]
    page = _html(site, f"sgs/xk/doc/{doc_slug(doc_no)}.html")
    assert doc_no in page and row["行政相对人名称"] in page and row["许可内容"] in page
    assert "<th scope=\"row\">许可决定日期</th><td>" + row["许可决定日期"] in page
    assert doc_slug(" " + doc_no.replace("〔", "〔") + " ") == doc_slug(doc_no)  # spaces do not change the URL


def test_table_dataset_page(built):
    _, site, _ = built
    page = _html(site, "opendata/dibao-2026.html")
    assert "<th scope=\"col\" class=\"dx-num\">城市低保户数</th>" in page and "<th scope=\"col\">乡镇</th>" in page and "城关镇" in page and 'class="dx-num">412<' in page


def test_downloads_parse_back(built):
    project, site, _ = built
    text = (site / "data/datasets/cf-2026.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    data = json.loads((site / "data/datasets/cf-2026.json").read_text(encoding="utf-8"))
    assert data["count"] == len(rows) == len(data["rows"])
    assert [r["行政处罚决定书文号"] for r in rows] == [r["行政处罚决定书文号"] for r in data["rows"]]
    assert "公示截止期" in rows[0] and "公示日期" in rows[0]
    mine = next(r for r in rows if r["行政处罚决定书文号"] == "云市监处罚〔2026〕9002号")
    assert mine["行政相对人名称"] == "邹某某" and mine["统一社会信用代码"] == "" and "邹某某" in mine["违法事实"]
    table = json.loads((site / "data/datasets/czzj-zhida-2026.json").read_text(encoding="utf-8"))
    assert table["columns"][3] == {"name": "下达金额（万元）", "type": "number"} and len(table["rows"]) == 12
    # the raw CSVs are never copied
    assert not (site / "data/xk-2026.csv").exists() and not list(site.rglob("data/cf-2026.csv"))


def test_dcat_catalogue(built):
    _, site, _ = built
    doc = json.loads((site / "data/catalog.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert doc["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert doc["@type"] == "dcat:Catalog"
    sets = doc["dcat:dataset"]
    assert {d["dct:identifier"] for d in sets} == {"xk-2026", "cf-2026", "czzj-zhida-2026", "dibao-2026"}
    for d in sets:
        assert d["@type"] == "dcat:Dataset" and d["dct:title"] and d["dct:publisher"]["foaf:name"]
        assert re.match(r"\d{4}-\d\d-\d\d$", d["dct:issued"]["@value"]) and d["dct:modified"]["@value"]
        for dist in d["dcat:distribution"]:
            assert dist["dcat:downloadURL"]["@id"].startswith("https://yunxi.example.gov.cn/data/datasets/")
            assert dist["dcat:mediaType"]["@id"].endswith(("text/csv", "application/json"))
    assert next(d for d in sets if d["dct:identifier"] == "xk-2026")["dct:license"]["dct:title"]
    assert "dct:license" not in next(d for d in sets if d["dct:identifier"] == "dibao-2026")


def test_dcat_expands_as_json_ld(built):
    pyld = pytest.importorskip("pyld")
    _, site, _ = built
    doc = json.loads((site / "data/catalog.jsonld").read_text(encoding="utf-8"))
    expanded = pyld.jsonld.expand(doc)
    dataset = "http://www.w3.org/ns/dcat#Dataset"
    assert sum(1 for n in pyld.jsonld.flatten(expanded) if dataset in n.get("@type", [])) == 4


def test_natural_persons_masked_everywhere(built):
    project, site, _ = built
    names = _natural_persons(project)
    assert len(names) > 40 and "秦晓璇" in names
    needles = [n.encode("utf-8") for n in names] + [ID_NUMBER.encode()]
    found = []
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [(path.relative_to(site).as_posix(), n.decode()) for n in needles if n in data]
    assert found == []
    # the search documents are stored deflated: read them all back
    from site_builder.outputs.search.query import SearchIndex

    idx = SearchIndex(site / "search")
    texts = json.dumps([idx.doc(i) for i in range(idx.n)], ensure_ascii=False)
    assert [n for n in names + [ID_NUMBER] if n in texts] == []
    assert "邹某某" in texts
    # the masked forms are there: page, search documents, downloads
    slug = doc_slug("云市监处罚〔2026〕9002号")
    assert "邹某某" in _html(site, f"sgs/cf/doc/{slug}.html")
    assert mask_name("欧阳修") == "欧阳某" and mask_name("李四") == "李某" and mask_name("张三丰") == "张某某"


def test_search_finds_decisions_by_name_and_doc_no(built):
    from site_builder.outputs.search.query import SearchIndex

    _, site, _ = built
    idx = SearchIndex(site / "search")
    url = f"sgs/cf/doc/{doc_slug('云市监处罚〔2026〕9002号')}.html"
    for query in ("云市监处罚〔2026〕9002号", "邹某某 营业执照"):
        hits = [idx.doc(i)["u"] for i in idx.search(query).exact]
        assert url in hits, (query, hits)
    licence = next(i for i in range(idx.n) if "/xk/doc/" in idx.doc(i)["u"])
    assert idx.doc(licence)["u"] in [idx.doc(i)["u"] for i in idx.search(idx.doc(licence)["t"].split()[0]).exact]
    # the unmasked names find nothing
    for name in ("秦晓璇", "邹雨萱"):
        assert idx.search(name).exact == []


def test_withdrawal_on_the_day_after(built, tmp_path):
    project, site, log = built
    slug = doc_slug(LAST_DAY["行政处罚决定书文号"])
    assert (site / f"sgs/cf/doc/{slug}.html").is_file()  # its 公示截止期 is the build day: still published
    assert "9001号" in (site / "data/datasets/cf-2026.csv").read_text(encoding="utf-8-sig")
    line = next(x for x in log.splitlines() if "已过公示截止期" in x)
    assert "9001号" not in line
    later = tmp_path / "site"
    done = _build(project, "2026-12-02", later)
    assert not (later / f"sgs/cf/doc/{slug}.html").exists()
    for path in later.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".js", ".xml", ".jsonld"):
            assert "9001号".encode() not in path.read_bytes(), path
    line = next(x for x in (done.stdout + done.stderr).splitlines() if "已过公示截止期" in x)
    assert "云市监处罚〔2026〕9001号" in line and re.search(r"(\d+) 条行政处罚已过公示截止期", line)


def test_report_flags_late_decisions(built):
    _, site, _ = built
    page = _html(site, "report.html")
    assert "双公示发布时效" in page
    m = re.search(r"超过时限 <strong>(\d+)</strong> 条", page)
    assert m and int(m.group(1)) > 0  # the sample has licences published 9–14 working days late


# --- validation: each rule on a bad file, named with file, line and column ------------------------

HEADER = ["行政相对人名称", "行政相对人类别", "行政许可决定文书名称", "行政许可决定文书号", "许可类别", "许可内容",
          "许可决定日期", "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码", "当前状态", "数据来源单位"]
GOOD = ["云溪县瑞丰商贸有限公司", "法人及非法人组织", "食品经营许可决定书", "云市监食许〔2026〕1号", "普通", "预包装食品销售",
        "2026-03-02", "2026-03-02", "2031-03-01", "云溪县市场监督管理局", "11320501MB1000000X", "有效", "云溪县市场监督管理局"]
CATALOGUE = """- id: xk
  name: 行政许可
  department: market
  kind: licensing
  frequency: on-change
"""


def _check(tmp_path: Path, rows: list[list[str]] | bytes, catalogue: str = CATALOGUE, name: str = "xk") -> list[str]:
    cat_dir, docs = tmp_path / "catalogue", tmp_path / "content"
    shutil.copytree(ROOT / "catalogue", cat_dir)
    (cat_dir / "datasets.yml").write_text(catalogue, encoding="utf-8")
    (docs / "data").mkdir(parents=True)
    if isinstance(rows, bytes):
        data = rows
    else:
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\n").writerows(rows)
        data = buf.getvalue().encode("utf-8")
    (docs / "data" / f"{name}.csv").write_bytes(data)
    cat, _ = load_catalogue(cat_dir)
    problems = Problems()
    load_datasets(cat_dir, docs, "catalogue", "content", cat, problems, dt.date(2026, 12, 1))
    return [p.format() for p in problems.items]


def _row(**cells) -> list[str]:
    row = dict(zip(HEADER, GOOD))
    row.update(cells)
    return [row[h] for h in HEADER]


def test_good_file_is_clean(tmp_path):
    assert _check(tmp_path, [HEADER, GOOD]) == []


def test_published_later_is_held_back(tmp_path):
    cat_dir, docs = tmp_path / "catalogue", tmp_path / "content"
    _check(tmp_path, [HEADER + ["公示日期"], GOOD + ["2026-12-01"], _row(行政许可决定文书号="云市监食许〔2026〕2号") + ["2026-12-02"]])
    cat, _ = load_catalogue(cat_dir)
    data = load_datasets(cat_dir, docs, "catalogue", "content", cat, Problems(), dt.date(2026, 12, 1))
    assert [d.doc_no for d in data.decisions("licensing")] == ["云市监食许〔2026〕1号"]
    assert data.log_lines() == ["双公示：1 条决定的公示日期晚于本次生成日期，本次不发布：云市监食许〔2026〕2号"]


@pytest.mark.parametrize("rows, expected", [
    ([[h for h in HEADER if h != "许可内容"], GOOD[:5] + GOOD[6:]], "content/data/xk.csv:1: 错误: 缺少必填列“许可内容”"),
    ([HEADER, GOOD, _row(许可内容="")], "content/data/xk.csv:3: 错误: 第 3 行“许可内容”列为空"),
    ([HEADER, _row(许可决定日期="2026/3/2")], "content/data/xk.csv:2: 错误: 第 2 行“许可决定日期”列的“2026/3/2”不是有效日期"),
    ([HEADER, _row(有效期至="2026-02-30")], "content/data/xk.csv:2: 错误: 第 2 行“有效期至”列的“2026-02-30”不是有效日期"),
    ([HEADER, _row(行政相对人类别="企业")], "content/data/xk.csv:2: 错误: 第 2 行“行政相对人类别”列的“企业”不是规定的取值"),
    ([HEADER, _row(许可类别="一般")], "content/data/xk.csv:2: 错误: 第 2 行“许可类别”列的“一般”不是规定的取值"),
    ([HEADER, _row(当前状态="正常")], "content/data/xk.csv:2: 错误: 第 2 行“当前状态”列的“正常”不是规定的取值"),
    ([HEADER, GOOD, GOOD], "content/data/xk.csv:3: 错误: 第 3 行“行政许可决定文书号”列的“云市监食许〔2026〕1号”重复："
                           "content/data/xk.csv 第 2 行已使用"),
    ([HEADER, GOOD[:-1]], "content/data/xk.csv:2: 错误: 第 2 行有 12 个单元格，表头有 13 列"),
    ([HEADER, _row(许可内容=f"身份证 {ID_NUMBER}")], "content/data/xk.csv:2: 错误: 第 2 行“许可内容”列中有居民身份证号码"),
    ([HEADER, _row(许可内容="联系电话13812345678")], "content/data/xk.csv:2: 错误: 第 2 行“许可内容”列中有手机号码"),
])
def test_each_rule_names_file_line_and_column(tmp_path, rows, expected):
    found = _check(tmp_path, rows)
    assert any(p.startswith(expected) for p in found), found


def test_amount_and_penalty_dates(tmp_path):
    cat = CATALOGUE.replace("kind: licensing", "kind: penalty")
    header = list(LAST_DAY)
    row = dict(LAST_DAY, **{"罚款金额（万元）": "5千元", "公示截止期": "2029-13-01"})
    found = _check(tmp_path, [header, [row[h] for h in header]], cat)
    assert any(p.startswith("content/data/xk.csv:2: 错误: 第 2 行“罚款金额（万元）”列的“5千元”不是金额") for p in found), found
    assert any("“公示截止期”列的“2029-13-01”不是有效日期" in p for p in found), found


def test_not_valid_csv(tmp_path):
    data = ("\n".join([",".join(HEADER), ",".join(GOOD), '"云溪县,' + ",".join(GOOD[1:]) + '"x,y']) + "\n").encode()
    found = _check(tmp_path, data)
    assert any(p.startswith("content/data/xk.csv:3: 错误: 第 3 行不是有效的 CSV") for p in found), found


def test_gbk_file_says_how_to_resave(tmp_path):
    data = ("\n".join([",".join(HEADER), ",".join(GOOD)]) + "\n").encode("gbk")
    found = _check(tmp_path, data)
    assert any(p.startswith("content/data/xk.csv:1: 错误: 文件似乎是 GBK/GB18030 编码") and "CSV UTF-8" in p
               for p in found), found


def test_unknown_department_and_orphans(tmp_path):
    found = _check(tmp_path, [HEADER, GOOD], CATALOGUE.replace("department: market", "department: markets")
                   + "- id: cf\n  name: 处罚\n  department: market\n  kind: penalty\n  frequency: on-change\n")
    assert any(p.startswith("catalogue/datasets.yml:3: 错误: 发布机构“markets”不存在") and "market" in p for p in found), found
    assert any(p.startswith("catalogue/datasets.yml:6: 错误: 数据集“cf”没有数据文件 content/data/cf.csv") for p in found), found
    found = _check(tmp_path / "b", [HEADER, GOOD], name="other")
    assert any(p.startswith("content/data/other.csv: 警告: 数据文件没有对应的数据集") for p in found), found


def table_catalogue(**columns: str) -> str:
    """catalogue/datasets.yml with one `table` dataset `t` of these columns (name=type)."""
    return ("- id: t\n  name: 表\n  department: civil-affairs\n  kind: table\n  frequency: monthly\n  columns:\n"
            + "".join(f"    - {{name: {name}, type: {kind}}}\n" for name, kind in columns.items()))


def test_a_mistyped_id_number_in_a_column_headed_as_one_is_refused(tmp_path):
    mistyped = ID_NUMBER[:17] + "1"  # one character wrong: the check fails, the person is still named
    permit = "320000202508010201"  # 施工许可证号: an ID's shape, and its column says what it is
    cat = table_catalogue(姓名="text", 公民身份号码="text", 施工许可证号="text")
    found = _check(tmp_path, [["姓名", "公民身份号码", "施工许可证号"], ["王某", mistyped, permit]], cat, "t")
    assert [p.split("\n")[0] for p in found] == [
        "content/data/t.csv:2: 错误: 第 2 行“公民身份号码”列中有居民身份证号码（校验位不符，可能录错了一位）"
        "（110105********0021），不得公开"], found


def test_table_types(tmp_path):
    cat = table_catalogue(乡镇="text", 户数="integer", 金额="number")
    found = _check(tmp_path, [["乡镇", "户数", "金额"], ["城关镇", "12户", "3.5"], ["青石镇", "3", "1,200"],
                              ["柳溪镇（联系人 13812345678）", "3", "1"]], cat, "t")
    assert any(p.startswith("content/data/t.csv:4: 错误: 第 4 行“乡镇”列中有手机号码") for p in found), found
    assert any(p.startswith("content/data/t.csv:2: 错误: 第 2 行“户数”列的“12户”不是整数") for p in found), found
    assert any(p.startswith("content/data/t.csv:3: 错误: 第 3 行“金额”列的“1,200”不是数字") for p in found), found


# --- in Chromium: the catalogue, a listing and a decision page at phone and desktop width ----------

@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_screenshots(built, browser, artifacts, width, height):
    from conftest import start_server

    project, site, _ = built
    decision = f"sgs/cf/doc/{doc_slug('云市监处罚〔2026〕9002号')}.html"
    server, base = start_server(site)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for name, rel in (("catalogue", "opendata/index.html"), ("listing", "sgs/xk/all.html"),
                          ("decision", decision), ("table", "opendata/czzj-zhida-2026.html"), ("report", "report.html")):
            page.goto(base + rel)
            if name == "report":
                page.locator("#sgs").scroll_into_view_if_needed()
                page.screenshot(path=str(artifacts / f"datasets-{name}-{width}.png"))
            else:
                page.screenshot(path=str(artifacts / f"datasets-{name}-{width}.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1"), name
        assert errors == []  # no CSP violation, no missing file
        page.goto(base + decision)
        assert page.locator("h1").inner_text().startswith("邹某某")
        # the site's search page finds the decision by its 文书号 and by the masked name
        import urllib.parse

        for query in ("云市监处罚〔2026〕9002号", "邹某某"):
            page.goto(base + "search.html?q=" + urllib.parse.quote(query))
            page.wait_for_selector(".dx-search__item", timeout=15000)
            hrefs = page.eval_on_selector_all(".dx-search__title a", "els => els.map(e => e.getAttribute('href'))")
            assert any(h.endswith(decision) for h in hrefs), (query, hrefs)
            assert "领域：双公示" in page.inner_text(".dx-search__item")
        if width == 390:
            page.screenshot(path=str(artifacts / f"datasets-search-{width}.png"), full_page=True)
        # no serious or critical WCAG 2.1 A/AA violation (axe-core, as tests/test_a11y.py runs it)
        from test_a11y import axe_violations

        for rel in ("opendata/index.html", "sgs/index.html", "sgs/cf/c-fakuan.html", decision,
                    "opendata/dibao-2026.html"):
            page.goto(base + rel)
            bad = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
            assert bad == [], (rel, bad)
    finally:
        context.close()
        server.terminate()
        server.wait()


def test_markup_in_a_cell_is_dropped_with_a_warning(tmp_path):
    """A cell's markup never reaches the pages, the downloads or search: only its text is kept."""
    found = _check(tmp_path, [HEADER, _row(行政相对人名称="<script>alert(1)</script><b>云溪县瑞丰商贸有限公司</b>")])
    assert any(p.startswith("content/data/xk.csv:2: 警告: 第 2 行“行政相对人名称”列中的 HTML 标记不会发布") for p in found), found
    cat, _ = load_catalogue(tmp_path / "catalogue")
    data = load_datasets(tmp_path / "catalogue", tmp_path / "content", "catalogue", "content", cat, Problems(),
                         dt.date(2026, 12, 1))
    assert [d.name for d in data.decisions("licensing")] == ["云溪县瑞丰商贸有限公司"]
    assert not any("<" in value for d in data.decisions("licensing") for _, value in d.cells)


def test_formula_cells_are_quoted_in_the_csv_download_only(built, tmp_path):
    """A text cell Excel would run as a formula opens as text from the CSV download; numbers stay numbers;
    the JSON download and the page keep the exact text; the build log tells the editor where it is."""
    project, site, log = built
    text = (site / "data/datasets/czzj-zhida-2026.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[-1][0] == "'" + FORMULA and rows[-1][4] == "-3"
    assert not any(r[0].startswith("'") for r in rows[:-1])  # nothing else touched
    data = json.loads((site / "data/datasets/czzj-zhida-2026.json").read_text(encoding="utf-8"))
    assert data["rows"][-1]["项目名称"] == FORMULA and data["rows"][-1]["已支出金额（万元）"] == "-3"
    assert FORMULA in html.unescape(_html(site, "opendata/czzj-zhida-2026.html"))
    line = len(rows)  # the last line of the source CSV (one row a line)
    assert (f"content/data/czzj-zhida-2026.csv:{line}: 警告: 第 {line} 行“项目名称”列的“{FORMULA}”以 = 开头"
            in log), log[-3000:]
    assert "“已支出金额（万元）”列" not in log  # -3 is a number, not a formula
    # as a spreadsheet reads it: the quoted cell is text, the plain one a formula, -3 a number
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active

    def typed(value: str):  # what a spreadsheet makes of a CSV cell: a number if it reads as one
        try:
            return float(value)
        except ValueError:
            return value

    for r in rows:
        sheet.append([typed(v) for v in r])
    sheet.append([FORMULA])  # the cell as it was written, for comparison
    book.save(tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    quoted, spent = sheet.cell(len(rows), 1), sheet.cell(len(rows), 5)
    assert quoted.data_type == "s" and quoted.value == "'" + FORMULA
    assert spent.data_type == "n" and spent.value == -3
    assert sheet.cell(len(rows) + 1, 1).data_type == "f"


def test_formula_rule_spares_numbers(tmp_path):
    from site_builder.outputs.datasets import csv_cell

    assert [csv_cell(v, "text") for v in ("-12.5", "+3", "-", "@x", "\t=1", "-1+2", "=1", "云溪")] == \
        ["-12.5", "+3", "-", "'@x", "'\t=1", "'-1+2", "'=1", "云溪"]
    assert csv_cell("-3", "number") == "-3" and csv_cell("-3", "integer") == "-3"
    cat = table_catalogue(乡镇="text", 备注="text", 金额="number")
    found = _check(tmp_path, [["乡镇", "备注", "金额"], ["城关镇", "-12.5", "-3"], ["青石镇", "@SUM(A1)", "1"],
                              ["柳溪镇", "+1+1", "2"], ["石桥镇", "-另见附表", "3"]], cat, "t")
    assert any(p.startswith("content/data/t.csv:3: 警告: 第 3 行“备注”列的“@SUM(A1)”以 @ 开头") for p in found), found
    assert any(p.startswith("content/data/t.csv:4: 警告: 第 4 行“备注”列的“+1+1”以 + 开头") for p in found), found
    assert len(found) == 2, found  # -12.5, -3 and a text starting with “-” are no warning
