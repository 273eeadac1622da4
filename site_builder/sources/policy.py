"""政策文件库 checks (docs/policy-library.md): a record's `replaces:` must name an existing 索引号 (a
department's 政策咨询 phone is checked where the catalogue is read, catalogue.py). Plain data in, problems out."""

from __future__ import annotations

from . import suggest
from .problems import Problems, clip
from .records import INDEX_NO_RE, Record

def check_replaces(records: list[Record], rel_of, problems: Problems) -> None:
    """Every `replaces:` names a record that exists (published or scheduled), not itself, and a document
    that is replaced but still says 有效 is pointed out."""
    replacing = [r for r in records if r.replaces]
    if not replacing:
        return  # (most sites: no record-by-record index of 索引号 made for nothing, 0.1 s at 100,000)
    by_index = {r.index_no: r for r in records if r.index_no}
    replaced_by: dict[str, list[Record]] = {}
    for r in replacing:
        rel, line = rel_of(r), r.lines.get("replaces")
        if r.replaces == r.index_no:
            problems.error(rel, line, "replaces 指向了本记录自己", "replaces 应写被本文件修订或废止的文件的索引号")
            continue
        old = by_index.get(r.replaces)
        if old is None:
            hint = "写被修订或废止文件的 index_no（索引号），并确认该文件已录入本网站"
            if not INDEX_NO_RE.match(r.replaces):
                hint = "索引号的格式是“机构代码/年份-序号”，例如 011320506/2022-00008；" + hint
            problems.error(rel, line, f"replaces 指向的索引号“{clip(r.replaces)}”不存在",
                           suggest.with_suggestion(r.replaces, {k: v.title for k, v in by_index.items()}, hint))
            continue
        replaced_by.setdefault(old.index_no, []).append(r)
        if not r.doc_type:
            problems.warning(rel, line, "本记录写了 replaces，但没有 doc_type，不会进入政策文件库",
                             "加上“doc_type: 规章 / 行政规范性文件 / 其他政策文件”")
    for index_no, newer in replaced_by.items():
        old = by_index[index_no]
        if old.validity in ("", "有效"):
            problems.warning(rel_of(old), old.lines.get("validity") or old.lines.get("title"),
                             f"本文件已被 {rel_of(newer[0])} 修订或废止（replaces），但有效性仍是“{old.validity or '未填写'}”",
                             "把本文件的 validity 改为 失效 或 废止")
