"""Office files that come out byte-identical for the same content (the 申请表 Word file, a policy
document's generated Word and PDF): python-docx and zipfile stamp the current time, so every entry and
date is set to one fixed moment instead."""

from __future__ import annotations

import io
import zipfile

FIXED_TIME = (2019, 5, 15, 0, 0, 0)  # the revised 条例 took effect on 2019-05-15: any fixed moment will do


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry stamped FIXED_TIME, in the same order (python-docx stamps now)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
