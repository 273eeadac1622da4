"""“您是不是要写…”: the closest catalogue ids to a mistyped one, by id and by Chinese name.

An editor may misspell an id (`financ`), or write the department's name instead of its id (`财政局`,
`云溪县财政局`): both find `finance（云溪县财政局）`. difflib (standard library) scores the similarity;
a name that contains what was written, or is contained in it, counts as a strong match.
"""

from __future__ import annotations

from difflib import SequenceMatcher

MIN_ID_SCORE = 0.6
MIN_NAME_SCORE = 0.5


def _score(value: str, ident: str, name: str) -> float:
    v = value.strip()
    if not v:
        return 0.0
    by_id = SequenceMatcher(None, v.lower(), ident.lower()).ratio()
    if len(v) >= 3 and v.lower() in ident.lower():  # the start of an id, or one of its words
        by_id = max(by_id, 0.85)
    by_name = 0.0
    if name:
        by_name = SequenceMatcher(None, v, name).ratio()
        if len(v) >= 2 and (v in name or name in v):
            by_name = max(by_name, 0.8 + 0.2 * min(len(v), len(name)) / max(len(v), len(name)))
    return max(by_id if by_id >= MIN_ID_SCORE else 0.0, by_name if by_name >= MIN_NAME_SCORE else 0.0)


def closest(value: str, choices: dict[str, str], n: int = 3) -> list[tuple[str, str]]:
    """Up to `n` (id, name) pairs from `choices` (id -> Chinese name) closest to `value`, best first."""
    scored = [(_score(value, ident, name or ""), ident, name or "") for ident, name in choices.items()]
    scored = [s for s in scored if s[0] > 0]
    scored.sort(key=lambda s: (-s[0], s[1]))
    if scored:  # only those nearly as close as the best (an exact name stands alone)
        best = scored[0][0]
        scored = [s for s in scored if s[0] >= best - (0.0 if best >= 0.999 else 0.1)]
    return [(ident, name) for _, ident, name in scored[:n]]


def did_you_mean(value: str, choices: dict[str, str], n: int = 3) -> str:
    """“您是不是要写 finance（云溪县财政局）？” or '' when nothing is close."""
    found = closest(value, choices, n)
    if not found:
        return ""
    return "您是不是要写 " + " 或 ".join(f"{i}（{name}）" if name and name != i else i for i, name in found) + "？"


def with_suggestion(value: str, choices: dict[str, str], rest: str) -> str:
    """A hint: the suggestion (when there is one), then `rest`."""
    guess = did_you_mean(value, choices)
    return f"{guess}{rest}" if guess else rest
