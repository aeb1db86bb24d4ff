"""The exit codes every command shares, in one module everything may import.

Kept apart from ``cli`` so command modules never import the entry point (no circle).
Each code says one thing a script can rely on; the README has the same table.
"""

EXIT_OK = 0
EXIT_INVALID = 1  # the offer, the file or the input is wrong: nothing was sent
EXIT_USAGE = 2  # argparse's own code for a bad command line
EXIT_API = 3  # the API (or the network) refused; nothing was created or changed
EXIT_UNKNOWN = 4  # a write may or may not have happened: check before retrying
EXIT_NOT_CONFIRMED = 5  # a confirmation was missing, mistyped or impossible (no terminal): nothing was sent
EXIT_LOCAL = 6  # local state is missing or unreadable (unknown profile, damaged profiles.json): nothing was sent
EXIT_IN_USE = 7  # a delete refused because other objects reference the target: nothing was sent
EXIT_STOPPED = 8  # a run stopped partway (disk full, time budget, Retry-After too long): some writes were sent; see its summary
EXIT_INTERRUPTED = 130

# Worst first, for commands that report many rows (bulk): the exit code of a run is its worst row's.
SEVERITY = (EXIT_OK, EXIT_NOT_CONFIRMED, EXIT_API, EXIT_UNKNOWN, EXIT_INVALID, EXIT_STOPPED)


def worst(*codes: int) -> int:
    """The most severe of several exit codes (unknown outcomes outrank refusals)."""
    rank = {code: i for i, code in enumerate(SEVERITY)}
    return max(codes, key=lambda c: rank.get(c, len(SEVERITY)), default=EXIT_OK)
