"""Many offers at once: rows from a file, a journal, bounded concurrency, unknown outcomes
resolved by name. No Textual: the CLI (``commands/bulk.py``) and the UI drive it alike."""

from .engine import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, BulkEngine, RateGate, RowResult, Tally
from .journal import Journal, JournalError, default_journal_path
from .resolve import Resolution, resolve_by_name
from .rows import InputError, Row, RowSource, ScanResult, scan

__all__ = [
    "DEFAULT_CONCURRENCY", "MAX_CONCURRENCY", "BulkEngine", "InputError", "Journal", "JournalError",
    "RateGate", "Resolution", "Row", "RowResult", "RowSource", "ScanResult", "Tally",
    "default_journal_path", "resolve_by_name", "scan",
]
