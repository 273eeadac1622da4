#!/usr/bin/env python3
"""双公示 datasets at scale (issue 18): generate licensing and penalty CSVs, then time the build.

    python bench/datasets.py --licences 20000 --penalties 5000 --out /tmp/bench-datasets [--seed 1]
    python bench/datasets.py --sample content/data      # the sample site's small CSVs (fixed seed)

writes a copy of the sample project (catalogue/, content/, mkdocs.yml of this checkout) into --out with
catalogue/datasets.yml and content/data/*.csv of the given sizes, builds it with `disclosure build
--build-date 2026-12-01` (cold, then again after one row changed: the incremental rebuild), and prints
the wall and CPU times (user + system of the build's whole process tree) and each build's
page counts (rendered / from the page cache) as JSON. Do not edit the code meanwhile: the page cache is
keyed by it. Deterministic for a seed; the place (云溪县) and every name are fictitious; no
cell holds a personal ID or mobile number (unified social credit codes carry a valid check character).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.sources.datasets import LICENSING, PENALTY  # noqa: E402

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉玉兰志强海燕晓东春梅国庆红梅德明"
# natural persons (自然人) are drawn from names no company officer or shop owner has, so that a test
# can grep the whole site for them: none may appear unmasked
PERSON_SURNAMES = ("范", "彭", "邹", "熊", "金", "陆", "郝", "孔", "崔", "邱", "秦", "欧阳", "司马", "上官")
PERSON_GIVEN = "晨曦雨涵轩浩然萱汐煜睿琪璇琦瑶霖"
TOWNS = ("城关镇", "青石镇", "柳溪镇", "白鹭乡", "云台乡", "桃源镇", "石门乡", "双河镇")
TRADES = ("商贸", "餐饮管理", "建材", "农业科技", "食品", "物流", "建筑工程", "医药连锁", "网络科技", "旅游开发")
SHOPS = ("小吃店", "便利店", "副食店", "理发店", "农资店", "早餐店", "五金店", "水果店")
# (department id, 机关全称, 机关统一社会信用代码 stem, licences: (文书名称, 许可类别, 证书名称, 内容), 文号字)
LICENSORS = (
    ("market", "云溪县市场监督管理局", "11320501MB1", "食品经营许可决定书", "普通", "食品经营许可证", "预包装食品销售，热食类食品制售", "云市监食许"),
    ("market", "云溪县市场监督管理局", "11320501MB1", "准予设立登记通知书", "登记", "营业执照", "设立登记", "云市监登"),
    ("housing", "云溪县住房和城乡建设局", "11320508MB3", "建筑工程施工许可决定书", "普通", "建筑工程施工许可证", "新建住宅及配套工程施工", "云建施许"),
    ("health", "云溪县卫生健康局", "11320509MB4", "医疗机构执业许可决定书", "普通", "医疗机构执业许可证", "诊所执业登记，内科、全科医疗科", "云卫医许"),
    ("transport", "云溪县交通运输局", "11320515MB7", "道路运输经营许可决定书", "普通", "道路运输经营许可证", "道路普通货物运输", "云交运许"),
    ("water", "云溪县水利局", "11320516MB2", "取水许可决定书", "普通", "取水许可证", "农业灌溉及生产取水", "云水许"),
)
PENALIZERS = (
    ("market", "云溪县市场监督管理局", "11320501MB1", "云市监处罚", (
        ("销售不符合食品安全标准的食品", "销售超过保质期的预包装食品", "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项", "没收违法所得;罚款"),
        ("未按规定公示营业执照", "未在经营场所醒目位置悬挂营业执照", "《市场主体登记管理条例》第四十八条第一款", "警告"),
        ("虚假宣传", "在店堂宣传中虚构商品获奖情况", "《中华人民共和国反不正当竞争法》第二十条第一款", "罚款"))),
    ("emergency", "云溪县应急管理局", "11320511MB5", "云应急罚", (
        ("未按规定开展安全生产教育培训", "未如实记录从业人员安全生产教育和培训情况", "《中华人民共和国安全生产法》第九十七条第（三）项", "罚款"),
        ("未按规定设置安全警示标志", "在有较大危险因素的生产经营场所未设置明显的安全警示标志", "《中华人民共和国安全生产法》第九十九条第（一）项", "警告;罚款"))),
    ("ecology", "江宁市生态环境局云溪分局", "11320512MB8", "云环罚", (
        ("超标排放大气污染物", "厨房油烟净化设施未正常使用，油烟超标排放", "《中华人民共和国大气污染防治法》第一百一十八条第一款", "罚款"),
        ("未批先建", "未依法报批建设项目环境影响报告表擅自开工建设", "《中华人民共和国环境影响评价法》第三十一条第一款", "罚款"))),
    ("transport", "云溪县交通运输局", "11320515MB7", "云交罚", (
        ("超限运输", "驾驶货车违法超限运输", "《公路安全保护条例》第六十四条", "罚款"),
        ("未取得道路运输经营许可从事经营", "未取得道路运输经营许可，擅自从事道路普通货物运输", "《中华人民共和国道路运输条例》第六十三条", "没收违法所得;罚款"))),
)


def uscc(rng: random.Random, prefix: str = "91320501") -> str:
    body = prefix + "".join(rng.choice(USCC_CHARS[:10] + "ABCDEFGH") for _ in range(17 - len(prefix)))
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def organ_code(stem: str) -> str:
    body = (stem + "000000")[:17]
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def party(rng: random.Random) -> tuple[str, str, str, str]:
    """(名称, 类别, 统一社会信用代码, 法定代表人)"""
    roll = rng.random()
    town = rng.choice(TOWNS)
    if roll < 0.15:
        given = "".join(rng.choice(PERSON_GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(PERSON_SURNAMES) + given, "自然人", "", ""
    if roll < 0.35:
        owner = person(rng)
        return f"云溪县{town}{owner[0]}记{rng.choice(SHOPS)}", "个体工商户", uscc(rng, "92320501"), owner
    name = f"云溪县{rng.choice('瑞丰鑫源华康恒通泰和宏达盛隆嘉禾德润')}{rng.choice('瑞丰鑫源华康恒通泰和宏达盛隆嘉禾德润')}{rng.choice(TRADES)}有限公司"
    return name, "法人及非法人组织", uscc(rng), person(rng)


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def workdays_after(d: dt.date, n: int) -> dt.date:
    while n > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def licensing_rows(n: int, seed: int, start: dt.date, end: dt.date, departments: tuple[str, ...] = ()) -> list[dict]:
    rng = random.Random(f"{seed}:xk")
    pool = [lic for lic in LICENSORS if not departments or lic[0] in departments]
    rows = []
    for i in range(n):
        dep, organ, stem, title, cat, cert, content, zi = rng.choice(pool)
        name, kind, code, legal = party(rng)
        decided = day(rng, start, end)
        late = rng.random() < 0.04
        rows.append({
            "行政相对人名称": name, "行政相对人类别": kind, "统一社会信用代码": code, "法定代表人": legal,
            "行政许可决定文书名称": title, "行政许可决定文书号": f"{zi}〔{decided.year}〕{i + 1:05d}号",
            "许可类别": cat, "许可证书名称": cert, "许可编号": f"{zi[1:3]}{decided.year}{i + 1:06d}" if cert else "",
            "许可内容": content, "许可决定日期": decided.isoformat(), "有效期自": decided.isoformat(),
            "有效期至": decided.replace(year=decided.year + 5, day=min(decided.day, 28)).isoformat(),
            "许可机关": organ, "许可机关统一社会信用代码": organ_code(stem),
            "当前状态": "有效" if rng.random() > 0.03 else "无效", "数据来源单位": organ, "备注": "",
            "公示日期": workdays_after(decided, rng.randint(9, 14) if late else rng.randint(1, 5)).isoformat(),
        })
    return rows


def penalty_rows(n: int, seed: int, start: dt.date, end: dt.date) -> list[dict]:
    rng = random.Random(f"{seed}:cf")
    rows = []
    for i in range(n):
        dep, organ, stem, zi, cases = rng.choice(PENALIZERS)
        kind_, fact, basis, cats = rng.choice(cases)
        name, kind, code, legal = party(rng)
        decided = day(rng, start, end)
        fine = "" if cats == "警告" else f"{rng.choice((0.05, 0.2, 0.5, 1, 2, 3.5, 5))}"
        confiscated = f"{rng.choice((0.02, 0.1, 0.35))}" if "没收" in cats else ""
        months = 6 if cats == "警告" else 36
        until = decided + dt.timedelta(days=months * 30)
        content = "警告" if cats == "警告" else ("没收违法所得" + confiscated + "万元，" if confiscated else "") + f"罚款{fine}万元"
        subject = name if kind == "自然人" else "当事人"
        rows.append({
            "行政相对人名称": name, "行政相对人类别": kind, "统一社会信用代码": code, "法定代表人": legal,
            "行政处罚决定书文号": f"{zi}〔{decided.year}〕{i + 1:04d}号", "违法行为类型": kind_,
            "违法事实": f"经查，{subject}于{decided.year}年{decided.month}月{fact}。", "处罚依据": basis,
            "处罚类别": cats, "处罚内容": content, "罚款金额（万元）": fine,
            "没收违法所得、没收非法财物的金额（万元）": confiscated, "暂扣或吊销证照名称及编号": "",
            "处罚决定日期": decided.isoformat(), "处罚有效期": until.isoformat(), "公示截止期": until.isoformat(),
            "处罚机关": organ, "处罚机关统一社会信用代码": organ_code(stem), "数据来源单位": organ, "备注": "",
            "公示日期": workdays_after(decided, rng.randint(1, 6)).isoformat(),
        })
    return rows


def write_csv(path: Path, columns, rows: list[dict]) -> None:
    names = [c.name for c in columns] + ["公示日期"]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    for r in rows:
        w.writerow([r.get(n, "") for n in names])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")


DATASETS_YML = """\
# 数据开放：每个数据集一条；数据在 content/data/<id>.csv（UTF-8，第 1 行为表头），格式见 docs/datasets.md
- id: xk-2026
  name: 行政许可决定信息（2026年）
  department: market
  kind: licensing
  frequency: on-change
  licence: 政府数据开放许可（署名）
  description: 云溪县各许可机关2025年7月以来作出的行政许可决定，按“双公示”标准公开。
- id: cf-2026
  name: 行政处罚决定信息（2026年）
  department: market
  kind: penalty
  frequency: on-change
  licence: 政府数据开放许可（署名）
  description: 云溪县各执法机关作出的行政处罚决定；超过公示期限的决定自动撤下。
"""


def change_one_row(path: Path, n: int = 5) -> None:
    """An editor's correction: the 许可内容 of the n-th licence gets a few more words."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("许可内容")
    rows[n][col] += "（经营场所变更后重新核发）"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def bench(out: Path, licences: int, penalties: int, seed: int) -> dict:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for part in ("catalogue", "content", "theme"):
        src = ROOT / part
        if part == "theme":
            continue
        shutil.copytree(src, out / part, ignore=shutil.ignore_patterns("data"))
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    text = (out / "mkdocs.yml").read_text(encoding="utf-8").replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (out / "mkdocs.yml").write_text(text, encoding="utf-8")
    (out / "catalogue" / "datasets.yml").write_text(DATASETS_YML, encoding="utf-8")
    start, end = dt.date(2025, 7, 1), dt.date(2026, 11, 20)
    write_csv(out / "content" / "data" / "xk-2026.csv", LICENSING, licensing_rows(licences, seed, start, end))
    write_csv(out / "content" / "data" / "cf-2026.csv", PENALTY, penalty_rows(penalties, seed, start, end))
    cmd = [sys.executable, "-m", "site_builder.cli", "build", "--build-date", "2026-12-01"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times, cpu, pages = {}, {}, {}
    for label in ("cold", "cached, nothing changed", "one row changed"):
        if label == "one row changed":
            change_one_row(out / "content" / "data" / "xk-2026.csv")
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(cmd, cwd=out, env=env, capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times[label] = round(time.perf_counter() - t, 1)
        cpu[label] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)
        pages[label] = next((x.split("页面：", 1)[1] for x in done.stdout.splitlines() + done.stderr.splitlines()
                             if "页面：" in x), "")
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
            raise SystemExit(done.returncode)
    return {"licences": licences, "penalties": penalties, "wall_seconds": times, "cpu_seconds": cpu,
            "pages": pages, "sgs_pages": sum(1 for _ in (out / "site" / "sgs").rglob("*.html")),
            "cpus": os.cpu_count(), "load_average_after": os.getloadavg()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--licences", type=int, default=20000)
    ap.add_argument("--penalties", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-datasets"))
    ap.add_argument("--change-one-row", type=Path, help="change one licence in this project's xk-2026.csv and stop")
    ap.add_argument("--sample", type=Path, help="write the sample site's 双公示 CSVs into this folder and stop")
    a = ap.parse_args()
    if a.change_one_row:
        change_one_row(a.change_one_row / "content" / "data" / "xk-2026.csv")
        return
    if a.sample:
        write_csv(a.sample / "xk-2026.csv", LICENSING,
                  licensing_rows(260, 18, dt.date(2025, 9, 1), dt.date(2026, 11, 25)))
        write_csv(a.sample / "cf-2026.csv", PENALTY, penalty_rows(90, 18, dt.date(2025, 3, 1), dt.date(2026, 11, 25)))
        return
    print(json.dumps(bench(a.out, a.licences, a.penalties, a.seed), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
