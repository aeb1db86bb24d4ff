"""RFC 3339 date-times: strict checks for the API, friendly parsing for people.

Dates are kept as the exact strings the user typed or loaded; these helpers only
check and convert, they never re-format a value that is already valid.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})$"
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,9})?)?$")


def parse_rfc3339(text: str) -> datetime:
    """Parse a full RFC 3339 date-time with an offset; raise ValueError with a reason."""
    if not isinstance(text, str) or not _RFC3339.match(text):
        raise ValueError(
            "must be an RFC 3339 date-time with an offset, like 2025-01-31T09:00:00.000+00:00"
        )
    # fromisoformat (3.11) takes Z and up to microseconds; trim nanoseconds first.
    main, sep, rest = text.partition(".")
    if sep:
        digits = re.match(r"\d+", rest).group(0)
        text = f"{main}.{digits[:6].ljust(6, '0')}{rest[len(digits):]}"
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise ValueError(f"is not a real date-time ({exc})") from None


def is_rfc3339(text: object) -> bool:
    try:
        parse_rfc3339(text)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def format_rfc3339(moment: datetime) -> str:
    """Format in the API's own style: 2022-07-27T05:00:00.000+00:00."""
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return (
        f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}"
        f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    )


def parse_user_datetime(text: str, default_tz: tzinfo = timezone.utc) -> str:
    """Turn what a person types into the exact string the API will receive.

    Accepts `2025-01-31`, `2025-01-31 09:00` (or with seconds, or a `T`) and full
    RFC 3339. A full RFC 3339 value is returned unchanged, byte for byte; the short
    forms get `default_tz`'s offset.
    """
    text = (text or "").strip()
    if not text:
        raise ValueError("is empty: type a date like 2025-01-31 or 2025-01-31 09:00")
    if _RFC3339.match(text):
        parse_rfc3339(text)
        return text
    try:
        if _DATE_ONLY.match(text):
            moment = datetime.strptime(text, "%Y-%m-%d")
        elif match := _LOCAL.match(text):
            moment = datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}{match.group(3) or ''}")
        else:
            raise ValueError("format")
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date: use 2025-01-31, 2025-01-31 09:00 or 2025-01-31T09:00:00.000+00:00"
        ) from None
    return format_rfc3339(moment.replace(tzinfo=default_tz))


def add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)
