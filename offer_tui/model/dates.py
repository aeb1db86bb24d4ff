"""RFC 3339 date-times: strict checks for the API, friendly parsing for people.

Dates are kept as the exact strings the user typed or loaded; these helpers only
check and convert, they never re-format a value that is already valid.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone, tzinfo

# re.ASCII: \\d must not match full-width or other non-ASCII digits (they are explained instead).
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|z|[+-]\d{2}:\d{2})$", re.ASCII
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_LOCAL = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,9})?)?$", re.ASCII)
_PARTS = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})?)?"
    r"(?:Z|z|([+-])(\d{2}):(\d{2}))?$",
    re.ASCII,
)
_ONE_DIGIT_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d):", re.ASCII)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _non_ascii_digit(text: str) -> str | None:
    return next((c for c in text if c.isdigit() and not c.isascii()), None)


def explain_date_problem(text: str) -> str | None:
    """Plain words for what is wrong in a date that has the right shape but impossible values
    (month 13, 30 February, hour 25, offset +99:99) or non-ASCII digits; None when nothing is."""
    digit = _non_ascii_digit(text)
    if digit is not None:
        return (f"contains the digit '{digit}' (U+{ord(digit):04X}), which is not an ASCII digit "
                "(full-width or another script); type the digits 0-9")
    match = _PARTS.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    if int(year) < 1:
        return "year 0000 does not exist (years are 0001-9999)"
    if not 1 <= int(month) <= 12:
        return f"month {month} does not exist (months are 01-12)"
    days = calendar.monthrange(int(year), int(month))[1]
    if not 1 <= int(day) <= days:
        return f"day {day} does not exist: {_MONTHS[int(month) - 1]} {year} has {days} days"
    if hour is not None and int(hour) > 23:
        return f"hour {hour} does not exist (hours are 00-23)"
    if minute is not None and int(minute) > 59:
        return f"minute {minute} does not exist (minutes are 00-59)"
    if second is not None and int(second) > 59:
        return f"second {second} does not exist (seconds are 00-59)"
    if sign is not None and (int(off_h) > 23 or int(off_m) > 59):
        return (f"the UTC offset {sign}{off_h}:{off_m} is impossible: offset hours are 00-23 and "
                "minutes 00-59, like +02:00 or -05:30")
    return None


def parse_rfc3339(text: str) -> datetime:
    """Parse a full RFC 3339 date-time with an offset; raise ValueError with a reason."""
    if not isinstance(text, str):
        raise ValueError("must be an RFC 3339 date-time string, like 2025-01-31T09:00:00.000+00:00")
    if not _RFC3339.match(text):
        problem = explain_date_problem(text)
        if problem is None and _PARTS.match(text):
            problem = "lacks the UTC offset (add Z or +00:00)" if "T" in text else "lacks the time and the offset"
        reason = f": {problem}" if problem else ""
        raise ValueError(
            f"must be an RFC 3339 date-time with an offset, like 2025-01-31T09:00:00.000+00:00{reason}"
        )
    problem = explain_date_problem(text)
    if problem:
        raise ValueError(f"is not a real date-time: {problem}")
    # fromisoformat (3.11) takes Z and up to microseconds; trim nanoseconds first.
    main, sep, rest = text.partition(".")
    if sep:
        digits = re.match(r"\d+", rest, re.ASCII).group(0)
        text = f"{main}.{digits[:6].ljust(6, '0')}{rest[len(digits):]}"
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValueError("is not a real date-time (check the month, day, time and offset)") from None


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
    text = _ONE_DIGIT_HOUR.sub(r"\1 0\2:", (text or "").strip())  # "2025-01-31 9:00" is 09:00
    if not text:
        raise ValueError("is empty: type a date like 2025-01-31 or 2025-01-31 09:00")
    problem = explain_date_problem(text)
    if problem:
        raise ValueError(f"'{text}' is not a date: {problem}")
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


# -- the short forms people type: now, today and relative dates (issue 17) --------------------------
# "+10d", "+2w", "+1y2d", "-3h": years, weeks, days and hours, after (+) or before (-) an anchor.
_RELATIVE = re.compile(r"^([+-])\s*((?:\d{1,4}\s*[ywdh]\s*)+)$", re.ASCII | re.IGNORECASE)
_RELATIVE_PART = re.compile(r"(\d{1,4})\s*([ywdh])", re.ASCII | re.IGNORECASE)

DATE_FORMS = ("2025-01-31", "2025-01-31 09:00", "2025-01-31 09:00:00.000", "RFC 3339", "now", "today",
              "+10d / +2w / +1y2d / -3h (from the other date)")


def is_relative(text: str) -> bool:
    """``+10d``, ``-2w``, ``+1y2d``: a moment given by its distance from another one."""
    return bool(_RELATIVE.match((text or "").strip()))


def shift(moment: datetime, text: str) -> datetime:
    """``moment`` moved by a relative form (``+1y2d``): years first (29 February -> 28), then the rest."""
    match = _RELATIVE.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a relative date: use +10d, +2w, +1y or +1y2d")
    sign = -1 if match.group(1) == "-" else 1
    amounts = {"y": 0, "w": 0, "d": 0, "h": 0}
    for number, unit in _RELATIVE_PART.findall(match.group(2)):
        amounts[unit.lower()] += int(number)
    try:
        moved = add_years(moment, sign * amounts["y"])
        return moved + sign * timedelta(weeks=amounts["w"], days=amounts["d"], hours=amounts["h"])
    except (OverflowError, ValueError):
        raise ValueError(f"'{text}' goes past the years 0001-9999") from None


def resolve_user_datetime(text: str, anchor: str | None = None, *, now: datetime | None = None,
                          default_tz: tzinfo = timezone.utc) -> str:
    """Like ``parse_user_datetime``, plus ``now``, ``today`` and relative forms.

    A relative form counts from ``anchor`` (the exact value the other date of the pair sends: its
    time and offset are kept, so From + ``+10d`` differs from From only in the day), or from now
    when there is no anchor. ``now`` keeps milliseconds; ``today`` is 00:00 in ``default_tz``."""
    stripped = (text or "").strip()
    current = (now or datetime.now(timezone.utc)).astimezone(default_tz)
    word = stripped.lower()
    if word == "now":
        return format_rfc3339(current)
    if word == "today":
        return format_rfc3339(current.replace(hour=0, minute=0, second=0, microsecond=0))
    if is_relative(stripped):
        base = parse_rfc3339(anchor) if anchor else current
        return format_rfc3339(shift(base, stripped))
    return parse_user_datetime(stripped, default_tz)


def resolve_pair(start: str, end: str, *, now: datetime | None = None) -> tuple[str | None, str | None]:
    """The values a From/Until (start/end) pair sends: each relative one counts from the other.

    Empty gives None; a value that cannot be read stays as typed (validation then names the problem).
    When both are relative, each counts from now."""
    now = now or datetime.now(timezone.utc)  # one "now" for both

    def alone(text: str) -> str | None:
        if not text.strip() or is_relative(text):
            return None
        try:
            return resolve_user_datetime(text, now=now)
        except ValueError:
            return None

    def value(text: str, other: str) -> str | None:
        stripped = text.strip()
        if not stripped:
            return None
        try:
            return resolve_user_datetime(stripped, alone(other), now=now)
        except ValueError:
            return stripped

    return value(start, end), value(end, start)
