"""The exit codes every command shares, in one module everything may import.

Kept apart from ``cli`` so command modules never import the entry point (no circle).
"""

EXIT_OK = 0
EXIT_INVALID = 1  # the offer, the file or the input is wrong: nothing was sent
EXIT_USAGE = 2  # argparse's own code for a bad command line
EXIT_API = 3  # the API (or the network) refused; nothing was created or changed
EXIT_UNKNOWN = 4  # a write may or may not have happened: check before retrying
EXIT_INTERRUPTED = 130

# Worst first, for commands that report many rows (bulk): the exit code of a run is its worst row's.
SEVERITY = (EXIT_OK, EXIT_API, EXIT_UNKNOWN, EXIT_INVALID)


def worst(*codes: int) -> int:
    """The most severe of several exit codes (unknown outcomes outrank refusals)."""
    rank = {code: i for i, code in enumerate(SEVERITY)}
    return max(codes, key=lambda c: rank.get(c, len(SEVERITY)), default=EXIT_OK)
