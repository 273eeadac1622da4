"""YAML with line numbers, and every scalar kept as the text the editor wrote.

PyYAML's default resolvers turn `003111216` into an octal int and `2024-02-30` into a crash, so we
load with BaseLoader (all scalars are strings) and interpret types ourselves with good messages.
Mappings come back as `LinedDict`, which remembers the line of each key.
"""

from __future__ import annotations

import re

import yaml

from . import frontmatter_help

try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None


class LinedDict(dict):
    """A dict that remembers, for each key, the 1-based line it was written on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict[str, int] = {}
        self.line: int | None = None

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key, self.line)


class LinedList(list):
    def __init__(self, *args):
        super().__init__(*args)
        self.line: int | None = None
        self.lines: list[int] = []


ALIAS_PROBLEM = ("不支持 YAML 的锚点（&名称）和别名（*名称）：请把内容直接写出来"
                 "（若文字以 & 或 * 开头，请给整个值加引号）")


class AliasError(yaml.MarkedYAMLError):
    """An anchor or alias in an editor's file: refused before anything is built from it."""


def refuse_aliases(text: str) -> None:
    """Raise AliasError at the first anchor or alias. Editors never need them, and an alias can make a
    few lines stand for billions of values (the "billion laughs"), or for a mapping key that prints as
    hundreds of MB. Only the parser's events are read here: nothing is expanded."""
    if "&" not in text and "*" not in text:  # neither can be written without one of these characters
        return
    parser = (yaml.CBaseLoader if CParser is not None else yaml.BaseLoader)(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise AliasError(problem=ALIAS_PROBLEM, problem_mark=event.start_mark)
    except AliasError:
        raise
    except yaml.YAMLError:  # a syntax error: reported by the real parse, with its own message
        return
    finally:
        parser.dispose()


if CParser is not None:
    # libyaml's parser is ~10x faster and still reports line marks; the constructor stays ours
    class _Loader(CParser, yaml.constructor.BaseConstructor, yaml.resolver.BaseResolver):
        line_offset = 0

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.constructor.BaseConstructor.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)
            self.source = stream

        def get_single_data(self):
            refuse_aliases(self.source)
            return super().get_single_data()
else:  # pragma: no cover - PyYAML built without libyaml
    class _Loader(yaml.BaseLoader):
        line_offset = 0

        def __init__(self, stream):
            super().__init__(stream)
            self.source = stream

        def get_single_data(self):
            refuse_aliases(self.source)
            return super().get_single_data()


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    result = LinedDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:  # PyYAML keeps the last one silently: which title did the editor mean?
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", _line_mark(result.lines[key] - 1 - loader.line_offset),
                f"found duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _line_mark(line: int) -> yaml.Mark:
    return yaml.Mark("<front matter>", 0, line, 0, None, None)


class YamlError(Exception):
    """A YAML syntax error, explained in Chinese (frontmatter_help.explain) on the line to change."""

    def __init__(self, message: str, line: int | None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint
        self.fixes: list[frontmatter_help.Fix] = []


def load(text: str, line_offset: int = 0):
    """Parse YAML text; `line_offset` is added to every line (front matter inside a file)."""
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        pm, cm = exc.problem_mark, exc.context_mark
        told = frontmatter_help.explain(text, line_offset, exc.problem or str(exc), exc.context or "",
                                        pm.line + 1 if pm else None, pm.column if pm else None,
                                        cm.line + 1 if cm else None)
        raise YamlError(told.message, told.line, told.hint) from None
    except yaml.reader.ReaderError as exc:  # a control character
        bad = _CONTROL.search(text)  # libyaml's position counts bytes: find the character itself
        line = text[:bad.start()].count("\n") + 1 if bad else None
        told = frontmatter_help.explain(text, line_offset, str(exc).splitlines()[0], "", line, None, None)
        raise YamlError(told.message, told.line, told.hint) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc), None) from None
    finally:
        loader.dispose()


def load_repaired(text: str, line_offset: int = 0):
    """(data, fixes): `text` parsed after frontmatter_help.repair corrected the full-width punctuation a
    Chinese keyboard types where YAML expects structure. A YamlError raised here carries the fixes too."""
    fixed, fixes = frontmatter_help.repair(text, line_offset)
    try:
        return load(fixed, line_offset), fixes
    except YamlError as exc:
        exc.fixes = fixes
        raise
