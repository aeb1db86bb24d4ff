"""Server text is untrusted: make it safe to print on a terminal.

A placement name or an error message may hold escape sequences (an OSC 52 that
writes the clipboard, a clear-screen, a title change). ``terminal_safe`` removes
every C0 and C1 control character except newline and tab (optional), and
truncates past a limit so a 2 MB error message does not flood the screen.
Invisible characters (format characters, Unicode category Cf, such as U+200B; spaces other than
the plain one; line separators; fillers) are shown as ``\\u200b``, so two names that would print
alike can be told apart. Pure Python, no imports beyond ``re``: every layer may use it.
"""

from __future__ import annotations

import re

DEFAULT_LIMIT = 4000

# C0 controls (but \t and \n), DEL and C1 controls (\x9b is a CSI on its own). The Unicode bidi
# overrides, which make text read differently than it is, are format characters: shown below.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
# Shown as \uXXXX: every Cf, Zs (but the space), Zl and Zp character of Unicode 14 (listed, so no
# unicodedata scan at import), the invisible fillers of other categories, and lone surrogates
# (which a terminal's encoder cannot even write).
INVISIBLE_CLASS = (
    "\u00a0\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u1680\u180e\u2000-\u200f"
    "\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\uffa0\ud800-\udfff"
)
_INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def show_invisible(text: str) -> str:
    """``text`` with every invisible character written as ``\\u200b`` (``\\U000e0001`` past U+FFFF)."""
    return _INVISIBLE.sub(_shown, text)


# A whole escape sequence, so "\x1b]52;c;aGk=\x07" leaves nothing readable behind.
_ESCAPES = re.compile(r"\x1b(?:\][^\x07\x1b]*(?:\x07|\x1b\\)?|\[[0-?]*[ -/]*[@-~]|[PX^_][^\x1b]*(?:\x1b\\)?|.)", re.S)


def terminal_safe(text: object, *, limit: int | None = DEFAULT_LIMIT, one_line: bool = False) -> str:
    """``text`` as a string with escape sequences and control characters removed.

    ``one_line`` also turns newlines and tabs into spaces (for table cells and
    one-line messages). Past ``limit`` characters the text is cut with a note.
    """
    value = text if isinstance(text, str) else str(text)
    value = show_invisible(_ESCAPES.sub("", value))  # before the split: U+00A0 would become a space
    if one_line:
        value = " ".join(_CONTROLS_ONE_LINE.sub(" ", value).split())
    else:
        value = _CONTROLS.sub("", value)
    if limit is not None and len(value) > limit:
        value = value[:limit] + f"... [{len(value) - limit:,} more characters not shown]"
    return value
