from offer_tui.safe_text import terminal_safe


def test_escape_sequences_and_controls_are_removed():
    text = "Home\x1b]52;c;aGVsbG8=\x07 hero\x1b[2J\x1b[H\x9b31m\x00\x08\u202e!"
    assert terminal_safe(text) == "Home hero31m\\u202e!"  # a bidi override is shown, not obeyed


def test_newlines_survive_unless_one_line():
    assert terminal_safe("a\nb\tc") == "a\nb\tc"
    assert terminal_safe("a\n\nb\tc", one_line=True) == "a b c"


def test_long_text_is_truncated_with_a_note():
    out = terminal_safe("x" * 10_000, limit=100)
    assert out.startswith("x" * 100) and "9,900 more characters not shown" in out
