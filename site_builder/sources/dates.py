"""Dates as disclosure offices write them: `YYYY-MM-DD` or a datetime, in Asia/Shanghai.

Every record time is in UTC+08:00, a fixed offset: the tz database's Asia/Shanghai gives local mean
time (+08:05:43) before 1901 and +09:00 in the summers of 1986–1991, and neither is how an office
dates a document (北京时间 is UTC+8).
"""

from __future__ import annotations

import datetime as dt
import re

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # 北京时间, always +08:00

_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class DateError(ValueError):
    pass


def parse_date(text: str) -> tuple[dt.datetime, bool]:
    """Return (aware datetime, has_time). Naive values are Asia/Shanghai wall time."""
    value = str(text).strip()
    shown = value if len(value) <= 40 else value[:39] + "…"  # quoted in messages: never a whole huge value
    if not value:
        raise DateError("日期为空")
    if _DATE_RE.match(value):
        y, m, d = (int(p) for p in value.split("-"))
        try:
            day = dt.date(y, m, d)
        except ValueError:
            raise DateError(f"“{shown}”不是存在的日期") from None
        return dt.datetime(day.year, day.month, day.day, tzinfo=SHANGHAI), False
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DateError(f"“{shown}”不是有效的日期，应写成 YYYY-MM-DD（例如 2024-02-20）") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI), True
