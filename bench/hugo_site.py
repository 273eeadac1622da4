"""The Hugo baseline of the benchmark (issue 21): a minimal Hugo site over a generated corpus.

    write(corpus)   # writes CORPUS/hugo/: hugo.toml, content/_index.md, layouts/

The records are not copied or converted: a module mount makes `CORPUS/content/records` Hugo's
`content/records` section, so Hugo reads the very files our build reads. Their front matter needs no
conversion: Hugo reads `title`, `date` (`2024-03-05` or `2024-03-05 09:30:00`, YAML timestamps, in
Asia/Shanghai) and `summary` itself, and every other key is a page parameter; `department` (one id),
`domains` and `tags` are taxonomies, like the anchor's (a single value is a one-term list to Hugo).
Department and domain term pages take their titles from the catalogue (`content/<taxonomy>/<id>/_index.md`).
The home page (`content/index.md` of the corpus) is Hugo's `_index.md` here, since an `index.md` at
the content root would make the whole tree one leaf bundle.

Layouts are minimal but do what our listings do: a record page (title, 索引号, date, department,
domains, tags linked, body), every list (the records section, each department / domain / tag) paginated
by 20, newest first, and the term lists. Hugo's default outputs stay on (RSS for home, sections,
taxonomies and terms; sitemap.xml), as the anchor's Hugo build had them.

    hugo --quiet -s CORPUS/hugo -d CORPUS/site-hugo        # what bench/run.py times
"""
from __future__ import annotations

from pathlib import Path

import yaml

CONFIG = """\
# Hugo baseline (bench/hugo_site.py): the corpus's records mounted as the `records` section.
baseURL = "https://bench.example.gov.cn/"
title = "基准测试站点"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
hasCJKLanguage = true
timeZone = "Asia/Shanghai"
paginate = 20
uglyURLs = true
enableRobotsTXT = false
disableKinds = []

[taxonomies]
  department = "department"
  domain = "domains"
  tag = "tags"

[[module.mounts]]
  source = "content"
  target = "content"
[[module.mounts]]
  source = "{records}"
  target = "content/records"
"""

HOME = """\
---
title: 云溪县政府信息公开（基准测试）
---
本站点由基准测试语料生成器自动生成，用于比较构建速度、内存占用与输出体积（Hugo 基线）。
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav>{{ range $name, $_ := site.Taxonomies }}<a href="{{ (site.GetPage $name).RelPermalink }}">{{ $name }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<dl>
<dt>索引号</dt><dd>{{ .Params.index_no }}</dd>
<dt>发布日期</dt><dd>{{ .Date.Format "2006-01-02" }}</dd>
{{ with .Params.doc_no }}<dt>文号</dt><dd>{{ . }}</dd>{{ end }}
{{ with .GetTerms "department" }}<dt>发布机构</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>{{ end }}
{{ with .GetTerms "domains" }}<dt>主题</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .GetTerms "tags" }}<dt>标签</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
</dl>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pages := .RegularPagesRecursive.ByDate.Reverse }}
{{ if .IsHome }}{{ $pages = (where site.RegularPages "Section" "records").ByDate.Reverse }}{{ end }}
{{ $pager := .Paginate $pages }}
<ul>
{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
"""

TERMS = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a>（{{ .Count }}）</li>
{{ end }}
</ul>
{{ end }}
"""


def write(corpus: Path) -> Path:
    """Write the Hugo project CORPUS/hugo/ over CORPUS/content/records; return its directory."""
    corpus = Path(corpus).resolve()
    root = corpus / "hugo"
    files = {
        "hugo.toml": CONFIG.format(records=(corpus / "content" / "records").as_posix()),
        "content/_index.md": HOME,
        "layouts/_default/baseof.html": BASEOF,
        "layouts/_default/single.html": SINGLE,
        "layouts/_default/list.html": LIST,
        "layouts/_default/terms.html": TERMS,
    }
    # term pages titled with the catalogue's names (as ours shows them), not the ids
    for taxonomy, catalogue in (("department", "departments"), ("domains", "domains")):
        for row in yaml.safe_load((corpus / "catalogue" / f"{catalogue}.yml").read_text(encoding="utf-8")):
            files[f"content/{taxonomy}/{row['id']}/_index.md"] = f"---\ntitle: {row['name']}\n---\n"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def command(corpus: Path, site_dir: str = "site-hugo") -> list[str]:
    """The build command run.py times (from any directory)."""
    corpus = Path(corpus).resolve()
    return ["hugo", "--quiet", "--source", str(corpus / "hugo"), "--destination", str(corpus / site_dir)]
