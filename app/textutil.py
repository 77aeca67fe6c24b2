"""Chinese text the program writes: dates as printed in a report."""
from __future__ import annotations

import datetime


def date_cn(iso: str) -> str:
    """``2024-01-16`` -> ``2024年1月16日`` (no zero padding); anything else is returned as typed."""
    try:
        d = datetime.date.fromisoformat((iso or "").strip())
    except ValueError:
        return (iso or "").strip()
    return f"{d.year}年{d.month}月{d.day}日"
