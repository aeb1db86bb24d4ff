"""Reading a bulk file as a stream of offer bodies: JSON Lines, or CSV laid over a template.

Nothing here holds more than one row at a time: ``RowSource.rows()`` reads, builds and
validates row by row, so memory does not grow with the file. ``scan()`` is the first pass
(validate everything, find duplicate names); the engine reads the file again to send.

Row numbers: in JSON Lines, row N is line N of the file (blank lines count, they are not rows);
in CSV, row 1 is the first row after the header.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from offer_tui.model import OfferFileError, load_offer_file, strip_server_fields, validate_offer
from offer_tui.model.constants import MAX_OFFER_BYTES
from offer_tui.model.safejson import loads_checked, wide_encoding

from .cells import PathError, cell_value, deep_merge, get_path, parse_path, set_path

# A line or a cell longer than this is an error, never a reason to read gigabytes into memory.
MAX_ROW_BYTES = 4 * MAX_OFFER_BYTES
FORMATS = ("jsonl", "csv")


class InputError(Exception):
    """The file as a whole cannot be used (missing, binary, bad header). str() names file and problem."""


@dataclass
class Row:
    number: int
    doc: dict[str, Any] | None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def name(self) -> str | None:
        name = self.doc.get("name") if isinstance(self.doc, dict) else None
        return name if isinstance(name, str) else None


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return "jsonl"  # RowSource reports the real problem
    return "jsonl" if head.startswith(b"{") else "csv"


class RowSource:
    """FILE (+ template) as rows of offer bodies, read again on every call to ``rows()``."""

    def __init__(self, path: str | os.PathLike, *, template: str | os.PathLike | None = None,
                 offer_type: str = "personalized", fmt: str | None = None) -> None:
        self.path = Path(path)
        self.offer_type = offer_type
        self.template_path = Path(template) if template is not None else None
        self.template: dict[str, Any] = {}
        if self.template_path is not None:
            try:
                self.template = strip_server_fields(load_offer_file(self.template_path))[0]
            except OfferFileError as exc:
                raise InputError(f"template {exc}") from None
        self._check_file()
        self.format = fmt or detect_format(self.path)
        if self.format not in FORMATS:
            raise InputError(f"{self.path}: unknown format {self.format!r}; use jsonl or csv")

    def _check_file(self) -> None:
        name = str(self.path)
        if not self.path.exists():
            raise InputError(f"{name}: no such file")
        if self.path.is_dir():
            raise InputError(f"{name}: is a directory, not a bulk file")
        if not self.path.is_file():
            raise InputError(f"{name}: not a regular file (a pipe or a device cannot be read twice)")
        try:
            with open(self.path, "rb") as handle:
                head = handle.read(65536)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
        wide = wide_encoding(head)
        if wide:
            raise InputError(f"{name}: is {wide} text, not UTF-8; save it as UTF-8 and try again")
        if b"\x00" in head:
            raise InputError(f"{name}: binary file, not JSON Lines or CSV")
        first = head.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0].strip()
        if first in (b"{", b"["):  # never a JSON Lines row; a pretty-printed document starts so
            raise InputError(f"{name}: one pretty-printed JSON document, not JSON Lines (one offer per line): "
                             f"convert it with `jq -c . {name}` (an array: `jq -c '.[]' {name}`), or send one offer with `submit`")

    # -- identity -----------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """A hash of everything that decides what is sent: the file, the template, the type."""
        digest = hashlib.sha256()
        digest.update(f"offer-tui bulk v1\0{self.format}\0{self.offer_type}\0".encode())
        digest.update(json.dumps(self.template, sort_keys=True).encode())
        digest.update(b"\0")
        try:
            with open(self.path, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 16), b""):
                    digest.update(chunk)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read ({exc.strerror or exc})") from None
        return digest.hexdigest()

    # -- reading -------------------------------------------------------------------------------
    def rows(self, *, validate: bool = True) -> Iterator[Row]:
        """Every row, built and (unless ``validate`` is False) validated, one at a time.

        The send pass reads without validating: the first pass did it for the same bytes (the
        caller checks the fingerprint), and validating again on the event loop cost about 7% of a
        run's time (bench/bulk.py). A row the server would refuse is refused, never duplicated."""
        raw = self._jsonl_rows() if self.format == "jsonl" else self._csv_rows()
        for row in raw:
            if row.ok and validate:
                assert row.doc is not None
                report = validate_offer(row.doc, self.offer_type)
                row.errors = [(issue.path or "(offer)", issue.message) for issue in report.errors]
                row.warnings = [(issue.path or "(offer)", issue.message) for issue in report.warnings]
            yield row

    def _jsonl_rows(self) -> Iterator[Row]:
        with open(self.path, "rb") as handle:
            number = 0
            while True:
                line = handle.readline(MAX_ROW_BYTES + 1)
                if not line:
                    return
                number += 1
                if len(line) > MAX_ROW_BYTES and not line.endswith(b"\n"):
                    while (rest := handle.readline(1 << 16)) and not rest.endswith(b"\n"):
                        pass  # skip the rest of the over-long line without keeping it
                    yield Row(number, None, [("(row)", f"longer than {MAX_ROW_BYTES // 1024} KB")])
                    continue
                if number == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                if not line.strip():
                    continue
                yield self._jsonl_row(number, line)

    def _jsonl_row(self, number: int, line: bytes) -> Row:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Row(number, None, [("(row)", f"not UTF-8 text (bad byte at column {exc.start + 1})")])
        try:
            data, problems = loads_checked(text)  # the loader `validate` uses: hostile numbers are errors
        except json.JSONDecodeError as exc:
            return Row(number, None, [("(row)", f"malformed JSON at column {exc.colno}: {exc.msg}")])
        except RecursionError:
            return Row(number, None, [("(row)", "malformed JSON: nested too deeply")])
        if problems:
            return Row(number, None, problems)
        if not isinstance(data, dict):
            return Row(number, None, [("(row)", "expected a JSON object (an offer body)")])
        doc = strip_server_fields(data)[0]
        if self.template:
            doc = deep_merge(copy.deepcopy(self.template), doc)
        return Row(number, doc)

    def _csv_rows(self) -> Iterator[Row]:
        name = str(self.path)
        with open(self.path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(_LimitedLines(handle, name))
            try:
                header = next(reader, None)
                if header is None:
                    raise InputError(f"{name}: file is empty (a CSV needs a header row of dotted paths)")
                columns = self._columns(header)
                number = 0
                for cells in reader:
                    if not any(cell.strip() for cell in cells):
                        continue  # a blank line is not a row
                    number += 1
                    yield self._csv_row(number, columns, cells)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not UTF-8 text (bad byte at offset {exc.start} of a block)") from None
            except csv.Error as exc:
                raise InputError(f"{name}: unreadable CSV near line {reader.line_num}: {exc}") from None

    def _columns(self, header: list[str]) -> list[tuple[str, list[str | int]]]:
        columns, problems, seen = [], [], set()
        for i, title in enumerate(header, start=1):
            try:
                parts = parse_path(title)
            except PathError as exc:
                problems.append(f"column {i}: {exc}")
                continue
            label = title.strip()
            if label in seen:
                problems.append(f"column {i}: {label!r} appears twice")
            seen.add(label)
            columns.append((label, parts))
        if problems:
            raise InputError(f"{self.path}: bad header: " + "; ".join(problems))
        return columns

    def _csv_row(self, number: int, columns: list[tuple[str, list[str | int]]], cells: list[str]) -> Row:
        if len(cells) != len(columns):
            return Row(number, None, [("(row)", f"{len(cells)} cells, but the header has {len(columns)} columns")])
        doc = copy.deepcopy(self.template)
        errors = []
        for (label, parts), cell in zip(columns, cells):
            if cell == "":
                continue  # an empty cell keeps the template's value
            found, current = get_path(self.template, parts)
            try:
                set_path(doc, parts, cell_value(cell, current, found))
            except PathError as exc:
                errors.append((label, str(exc)))
        return Row(number, None if errors else doc, errors)


class _LimitedLines:
    """Lines for csv.reader, refusing any longer than MAX_ROW_BYTES characters."""

    def __init__(self, handle, name: str) -> None:
        self._handle, self._name = handle, name

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self._handle.readline(MAX_ROW_BYTES + 1)
        if not line:
            raise StopIteration
        if len(line) > MAX_ROW_BYTES:
            raise InputError(f"{self._name}: a line is longer than {MAX_ROW_BYTES // 1024} KB")
        return line


# -- the first pass --------------------------------------------------------------------------


@dataclass
class ScanResult:
    total: int = 0
    invalid: set[int] = field(default_factory=set)  # row numbers; grows with bad rows only
    warnings: int = 0

    @property
    def valid(self) -> int:
        return self.total - len(self.invalid)


def name_key(name: str) -> int:
    """A compact stand-in for a name (8 bytes), so 10,000 names cost little memory."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "big")


def scan(source: RowSource, on_error: Callable[[int, str, str], None],
         on_warning: Callable[[int, str, str], None] | None = None) -> ScanResult:
    """Validate every row; call ``on_error(row, path, reason)`` for each problem.

    A name used by an earlier row is an error: an unknown outcome is resolved by looking the
    name up, which only works when each name stands for one row.
    """
    result = ScanResult()
    first_row_of: dict[int, int] = {}
    for row in source.rows():
        result.total += 1
        for path, reason in row.errors:
            on_error(row.number, path, reason)
        if on_warning is not None:
            for path, reason in row.warnings:
                on_warning(row.number, path, reason)
        result.warnings += len(row.warnings)
        bad = not row.ok
        if row.name is not None and row.name.strip():
            key = name_key(row.name)
            earlier = first_row_of.setdefault(key, row.number)
            if earlier != row.number:
                on_error(row.number, "name", f"the same name as row {earlier}: names must be unique in a run "
                         "(an unknown outcome is resolved by looking the name up)")
                bad = True
        if bad:
            result.invalid.add(row.number)
    return result
