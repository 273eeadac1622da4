"""Dates as disclosure offices write them: `YYYY-MM-DD` or a datetime, in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class DateError(ValueError):
    pass


def parse_date(text: str) -> tuple[dt.datetime, bool]:
    """Return (aware datetime, has_time). Naive values are Asia/Shanghai wall time."""
    value = str(text).strip()
    if not value:
        raise DateError("日期为空")
    if _DATE_RE.match(value):
        y, m, d = (int(p) for p in value.split("-"))
        try:
            day = dt.date(y, m, d)
        except ValueError:
            raise DateError(f"“{value}”不是存在的日期") from None
        return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI), False
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DateError(f"“{value}”不是有效的日期，应写成 YYYY-MM-DD（例如 2024-02-20）") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI), True
