"""Bounded property tests for hostile input (issue 7): whatever bytes a file holds, the loader gives a
document or one clear line, and a document it accepts and validate passes is strict JSON. The full
sweep (hundreds of files, devices, FIFOs, the TUI) is scripts/hostile_sweep.py."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offer_tui.model import OfferFileError, load_offer_file, parse_user_datetime, to_json, validate_offer

EXAMPLE = (Path(__file__).parent.parent / "examples" / "personalized-offer.json").read_text()
TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "9" * 4400, "[" * 70, '"\\ud800"', "\x00", "\ufeff", '"',
          "}", "]", ",", "{}", "[]", "null", "２"]
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def mutated_offers(draw) -> bytes:
    text = EXAMPLE
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:i] + draw(st.sampled_from(TOKENS) | st.text(max_size=5)) + text[i:]
        else:
            text = text[:i] + text[i + draw(st.integers(1, 30)):]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"]))
    return text.encode(encoding, "surrogatepass" if encoding == "utf-8" else "replace")


def strict_json(text: str) -> None:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the body")

    json.loads(text.encode("utf-8").decode("utf-8"), parse_constant=refuse)


@BOUNDED
@given(content=mutated_offers() | st.binary(max_size=300))
def test_the_loader_never_lets_anything_but_a_clear_line_out(tmp_path, content):
    path = tmp_path / "offer.json"
    path.write_bytes(content)
    try:
        doc = load_offer_file(path)
    except OfferFileError as error:
        message = str(error)
        assert message.startswith(str(path)) and "\n" not in message and len(message) < 600
        assert "Traceback" not in message and "timedelta" not in message
        return
    assert isinstance(doc, dict)
    if validate_offer(doc).ok:
        strict_json(to_json(doc))  # what submit would send is JSON a strict server accepts


@BOUNDED
@given(typed=st.text(alphabet=st.sampled_from("0123456789２٣-:+TZ. /abc"), max_size=30))
def test_typed_dates_give_a_value_or_a_plain_value_error(typed):
    try:
        parse_user_datetime(typed)
    except ValueError as error:
        assert "timedelta" not in str(error) and "fromisoformat" not in str(error)
