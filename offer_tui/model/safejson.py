"""Reading JSON that may be hostile: bounded, regular files only, strict numbers, bounded depth.

Used for offer files (``--from``, ``validate``, ``submit``) and for our own state files (drafts,
profiles), which a crash, a full disk or another program may have damaged. Every failure is a
``JsonFileError`` whose text is one line in plain words, naming the JSON path where there is one.
No Textual, no I/O beyond reading the one file.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from typing import Any

MAX_FILE_BYTES = 5 * 1024 * 1024  # an offer is at most a few hundred KB (Adobe advises < 300 KB)
MAX_DEPTH = 64  # a real offer nests about 5 levels; deep data only ever comes from an attack or a bug


class JsonFileError(Exception):
    """A file or text that cannot be used as JSON. str() is one line."""


class FileAccessError(JsonFileError):
    """The file could not be opened or read, or is not a regular file: its content is unknown."""


class _NonFinite(str):
    """NaN, Infinity, -Infinity, or a float literal too large for a double (1e999)."""


class _HugeInt(str):
    """An integer literal of more digits than Python converts (4,300 by default)."""


class _DuplicateKeys(dict):
    """An object in which some names appeared more than once (JSON keeps the last, silently)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> dict:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    seen: set[str] = set()
    twice: list[str] = []
    for key, _ in pairs:
        if key in seen and key not in twice:
            twice.append(key)
        seen.add(key)
    marked = _DuplicateKeys(data)
    marked.duplicates = tuple(twice)
    return marked


def _parse_int(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return _HugeInt(text)


def _parse_float(text: str) -> Any:
    value = float(text)
    return _NonFinite(text) if value in (float("inf"), float("-inf")) else value


def _kind_of(mode: int) -> str | None:
    """None for a regular file, else what it is in plain words."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def _mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


def read_regular_file(path: str | os.PathLike, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Never blocks and never reads without bound: a FIFO, a device or a directory is refused after a
    ``stat`` (not opened at all), and the file is then opened with O_NONBLOCK and checked again
    with ``fstat`` (it may have been swapped in between), and read with a cap.
    """
    name = os.fspath(path)
    try:
        kind = _kind_of(os.stat(name).st_mode)
        if kind is not None:
            raise FileAccessError(f"{name}: is {kind}, not a file; give the path of a JSON file")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(name, flags)
    except FileNotFoundError:
        raise FileAccessError(f"{name}: no such file") from None
    except PermissionError:
        raise FileAccessError(f"{name}: permission denied") from None
    except NotADirectoryError:
        raise FileAccessError(f"{name}: a part of the path is not a directory") from None
    except OSError as exc:
        raise FileAccessError(f"{name}: cannot open ({exc.strerror or type(exc).__name__})") from None
    try:
        info = os.fstat(fd)
        kind = _kind_of(info.st_mode)
        if kind is not None:
            raise FileAccessError(f"{name}: is {kind}, not a file; give the path of a JSON file")
        if info.st_size > limit:
            raise JsonFileError(f"{name}: is {info.st_size:,} bytes; the limit is {_mb(limit)}, so it was not read")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # the file grew while we read it
            raise JsonFileError(f"{name}: is larger than {_mb(limit)}; not read further")
        return b"".join(chunks)
    except OSError as exc:
        raise FileAccessError(f"{name}: cannot read ({exc.strerror or type(exc).__name__})") from None
    finally:
        os.close(fd)


def _utf16_or_32(raw: bytes) -> str | None:
    """The name of a UTF-16/32 encoding when the bytes look like one (BOM or NUL pattern)."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:256]
    if len(head) >= 4:
        even_nul = head[0::2].count(0)
        odd_nul = head[1::2].count(0)
        half = len(head) // 2
        if odd_nul >= half * 0.6 and even_nul == 0 or even_nul >= half * 0.6 and odd_nul == 0:
            return "UTF-16"
    return None


wide_encoding = _utf16_or_32  # public for other readers of user files (bulk)


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (a BOM is fine) text, or a JsonFileError saying what the bytes are instead."""
    wide = _utf16_or_32(raw)
    if wide:
        raise JsonFileError(f"{name}: is {wide} text, not UTF-8; save it as UTF-8 and try again")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise JsonFileError(f"{name}: binary file (a NUL byte at offset {nul}), not JSON text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise JsonFileError(
            f"{name}:{line}:{column}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 (is it Latin-1, or a binary file?)"
        ) from None


_SIMPLE_KEY = re.compile(r"^[A-Za-z_$@][\w$@-]{0,39}$")


def show_path(parts: list[Any], keep: int = 6) -> str:
    """A JSON path like ``representations[0].components[1]`` for people: odd keys quoted and
    shortened, and a deep path cut in the middle, so user data never floods a message."""
    def one(part: Any, first: bool) -> str:
        if isinstance(part, int):
            return f"[{part}]"
        if _SIMPLE_KEY.match(part):
            return part if first else f".{part}"
        shown = json.dumps(part[:40] + ("..." if len(part) > 40 else ""), ensure_ascii=True)
        return f"[{shown}]"

    if len(parts) > 2 * keep:
        head, tail = parts[:keep], parts[-2:]
        text = "".join(one(p, i == 0) for i, p in enumerate(head))
        return f"{text}...({len(parts) - keep - 2} more levels)..." + "".join(one(p, False) for p in tail)
    return "".join(one(p, i == 0) for i, p in enumerate(parts)) or "(top level)"


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def too_deep(value: Any, max_depth: int = MAX_DEPTH) -> list[Any] | None:
    """The path of the first container nested past ``max_depth``, or None. Iterative."""
    stack: list[tuple[Any, list[Any], int]] = [(value, [], 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth + 1 > max_depth:
                return path
            children = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((child, path + [key], depth + 1) for key, child in children)
    return None


def json_problems(value: Any, max_depth: int = MAX_DEPTH, limit: int = 5) -> list[tuple[list[Any], str]]:
    """What makes ``value`` unfit to send as JSON: (path parts, message), at most ``limit`` of them.

    Checks nesting depth, non-finite or huge numbers (NaN, Infinity, 1e999, > 4,300 digits), names
    used twice in one object (from ``loads_strict``) and strings with a lone surrogate. Iterative,
    so any depth is safe to check.
    """
    problems: list[tuple[list[Any], str]] = []
    stack: list[tuple[Any, list[Any], int]] = [(value, [], 0)]
    while stack and len(problems) < limit:
        item, path, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth + 1 > max_depth:
                problems.append((path, f"is nested more than {max_depth} levels deep; an offer needs a handful"))
                continue
            if isinstance(item, dict):
                children = list(item.items())
                for key in getattr(item, "duplicates", ()):
                    problems.append((path + [key], "appears more than once in the same object; keep one "
                                     "(only the last would be used)"))
                for key, _ in children:
                    if isinstance(key, str) and _lone_surrogate(key):
                        problems.append((path, "has a field name with a lone surrogate (\\ud800-\\udfff), which is not valid Unicode"))
            else:
                children = list(enumerate(item))
            for key, child in reversed(children):
                stack.append((child, path + [key], depth + 1))
        elif isinstance(item, _HugeInt):
            problems.append((path, f"is an integer of {len(item.lstrip('-')):,} digits; numbers that long are refused"))
        elif isinstance(item, _NonFinite):
            problems.append((path, f"is {item}, which is not a JSON number; use a finite number"))
        elif isinstance(item, float) and not math.isfinite(item):
            problems.append((path, f"is {item!r}, which is not a JSON number; use a finite number"))
        elif isinstance(item, str) and _lone_surrogate(item):
            problems.append((path, "holds a lone surrogate (\\ud800-\\udfff), which is not valid Unicode; retype the text"))
    return problems


def _deep_position(text: str, max_depth: int) -> tuple[int, int] | None:
    """Line and column where nesting first exceeds ``max_depth`` (strings skipped), or None."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
        elif token in "]}":
            depth -= 1
    return None


def loads_checked(text: str, max_depth: int = MAX_DEPTH) -> tuple[Any, list[tuple[str, str]]]:
    """The same strict parse as ``loads_strict`` for callers that report per row (bulk): the value
    and its problems as (shown JSON path, message). Malformed text raises ``json.JSONDecodeError``
    (or ``RecursionError``) as ``json.loads`` does."""
    data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_NonFinite,
                      object_pairs_hook=_object)
    return data, [(show_path(path), message) for path, message in json_problems(data, max_depth)]


def loads_strict(text: str, name: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON text: a malformed text, one nested past ``max_depth``, a non-JSON number or a
    lone surrogate is a JsonFileError naming line and column, or the JSON path."""
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_NonFinite,
                          object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise JsonFileError(f"{name}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}") from None
    except RecursionError:
        where = _deep_position(text, max_depth)
        at = f":{where[0]}:{where[1]}" if where else ""
        raise JsonFileError(
            f"{name}{at}: nested more than {max_depth} levels deep (well-formed or not, an offer needs a handful)"
        ) from None
    problems = json_problems(data, max_depth)
    if problems:
        path, message = problems[0]
        more = f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})" if len(problems) > 1 else ""
        raise JsonFileError(f"{name}: {show_path(path)}: {message}{more}")
    return data


def load_json_file(path: str | os.PathLike, limit: int = MAX_FILE_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Read, decode and strictly parse a JSON file (see ``read_regular_file`` and ``loads_strict``)."""
    name = os.fspath(path)
    raw = read_regular_file(name, limit)
    text = decode_text(raw, name)
    if not text.strip():
        raise JsonFileError(f"{name}: file is empty")
    return loads_strict(text, name, max_depth)
