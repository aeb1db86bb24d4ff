"""Server text is untrusted: make it safe to print on a terminal.

A placement name or an error message may hold escape sequences (an OSC 52 that
writes the clipboard, a clear-screen, a title change). ``terminal_safe`` removes
every C0 and C1 control character except newline and tab (optional), and
truncates past a limit so a 2 MB error message does not flood the screen.
Pure Python, no imports beyond ``re``: every layer may use it.
"""

from __future__ import annotations

import re

DEFAULT_LIMIT = 4000

# C0 controls (but \t and \n), DEL, C1 controls (\x9b is a CSI on its own), and the
# Unicode bidi overrides that can make text read differently than it is.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A whole escape sequence, so "\x1b]52;c;aGk=\x07" leaves nothing readable behind.
_ESCAPES = re.compile(r"\x1b(?:\][^\x07\x1b]*(?:\x07|\x1b\\)?|\[[0-?]*[ -/]*[@-~]|[PX^_][^\x1b]*(?:\x1b\\)?|.)", re.S)


def terminal_safe(text: object, *, limit: int | None = DEFAULT_LIMIT, one_line: bool = False) -> str:
    """``text`` as a string with escape sequences and control characters removed.

    ``one_line`` also turns newlines and tabs into spaces (for table cells and
    one-line messages). Past ``limit`` characters the text is cut with a note.
    """
    value = text if isinstance(text, str) else str(text)
    value = _ESCAPES.sub("", value)
    if one_line:
        value = " ".join(_CONTROLS_ONE_LINE.sub(" ", value).split())
    else:
        value = _CONTROLS.sub("", value)
    if limit is not None and len(value) > limit:
        value = value[:limit] + f"... [{len(value) - limit:,} more characters not shown]"
    return value
