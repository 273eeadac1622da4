"""Problems found in editors' files: collected, never raised one at a time, so an editor sees all."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"

MESSAGE_CHARS = 400  # a message or hint longer than this is cut in the middle (a value quoted whole
HINT_CHARS = 1000    # from a hostile file must not print megabytes, whatever the message)
VALUE_CHARS = 60     # a value quoted in a message: clip(value)


def clip(value: object, limit: int = VALUE_CHARS) -> str:
    """A value as quoted in a message: at most `limit` characters, cut ones ending in “…”."""
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def cap(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, keeping its start and end (where a message says what to do)."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    return text[:limit - tail - 1] + "…" + text[len(text) - tail:]


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the project root, as the editor knows it
    line: int | None
    level: str
    message: str
    hint: str = ""

    def order(self) -> tuple:
        """Problems by file, then line; a problem of the whole file (no line) first."""
        return (self.file, -1 if self.line is None else self.line, self.level, self.message, self.hint)

    def __lt__(self, other: "Problem") -> bool:
        return self.order() < other.order()

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = "错误" if self.level == ERROR else "警告"
        text = f"{where}: {label}: {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "level": self.level,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(cap(file, MESSAGE_CHARS), line, ERROR, cap(message, MESSAGE_CHARS),
                                  cap(hint, HINT_CHARS)))

    def warning(self, file: str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(cap(file, MESSAGE_CHARS), line, WARNING, cap(message, MESSAGE_CHARS),
                                  cap(hint, HINT_CHARS)))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.level == ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.level == WARNING)


class ContentError(Exception):
    """Raised when the content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [p.format() for p in problems]
        super().__init__(
            f"内容检查发现 {len(problems)} 个错误，未生成网站（content has {len(problems)} error(s); "
            "nothing was written）：\n" + "\n".join(lines)
        )
