"""Issue 17: the documented personalized offer, typed into the real app along the shortest path
(bench/keys_documented_offer.py), reaches the demo API exactly as documented.

This fails if the body differs, not if the key count rises: the count is a figure for the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from keys_documented_offer import BEFORE, measure  # noqa: E402

pytestmark = pytest.mark.xdist_group("real-app")  # a real app in a pty: never beside another one


def test_the_documented_offer_typed_in_the_app_is_sent_exactly_as_documented():
    result = measure(timeout=45.0)
    assert result.body is not None, result.notes
    assert result.body == result.documented
    print(f"{result.keys} keys (before: {BEFORE})")
