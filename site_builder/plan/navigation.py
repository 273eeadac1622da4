"""The site's default navigation (used when mkdocs.yml has no `nav:`).

The home page, the editor's own pages (公开指南, 依申请公开 …), the catalogue and its ways in (重点领域,
发布机构), then the columns every disclosure platform has in the order they usually show them (政策文件库,
政府公报, 年度报告, 意见征集, 重大建设项目, 重点工作任务, 双公示, 数据开放), then 主题词, 按年度浏览, 公开情况 and
订阅. Only index pages: an entry per domain, department or record would put ~20 kB of navigation into
every page (Material renders the whole navigation into each one)."""

from __future__ import annotations

# a column's place, by the folder of its index page; columns not named here follow, in the order given
COLUMN_ORDER = ("policies", "gazette", "annual-reports", "consultations", "projects", "tasks", "sgs", "opendata")


def default_nav(user_pages: list[str], columns: list[dict[str, str]], report_src: str,
                subscribe_src: str | None) -> list:
    """`columns`: each column's {title: index page}, any order, duplicates allowed."""
    seen: set[str] = set()
    unique = []
    for entry in columns:
        (title, src), = entry.items()
        if src not in seen:
            seen.add(src)
            unique.append({title: src})

    def place(entry: dict) -> int:
        folder = next(iter(entry.values())).split("/", 1)[0]
        return COLUMN_ORDER.index(folder) if folder in COLUMN_ORDER else len(COLUMN_ORDER)

    return [
        {"首页": "index.md"},
        *user_pages,
        {"公开事项目录": "catalogue.md"},
        {"重点领域": "domains/index.md"},
        {"发布机构": "departments/index.md"},
        *sorted(unique, key=place),
        {"主题词": "tags/index.md"},
        {"按年度浏览": "years/index.md"},
        {"公开情况": report_src},
        *([{"订阅": subscribe_src}] if subscribe_src else []),
    ]
