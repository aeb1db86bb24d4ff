"""Local refusals have their own exit code (issue 13, 2.7 and 2.8): an unknown profile or an
unreadable profiles.json is EXIT_LOCAL (6), never the API's 3 nor "No profiles yet" with 0."""

from __future__ import annotations

import io
import sys

import pytest

from offer_tui.cli import main
from offer_tui.credentials import ProfileStore
from offer_tui.exit_codes import EXIT_LOCAL

pytestmark = pytest.mark.timeout(60)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_profile_list_with_an_unreadable_profiles_file_says_so_and_fails(capsys):
    ProfileStore().path.mkdir(parents=True)  # a directory where the file should be: cannot be read
    code, out, err = run(capsys, "profile", "list")
    assert code == EXIT_LOCAL
    assert "No profiles yet" not in out + err
    assert "could not be read" in err


@pytest.mark.parametrize("argv", [
    ["list", "--profile", "nope"],
    ["get", "--profile", "nope", "dps:personalized-offer:1"],
    ["placements", "--profile", "nope"],
    ["login", "--profile", "nope"],
    ["profile", "show", "nope"],
    ["profile", "use", "nope"],
])
def test_an_unknown_profile_is_a_local_refusal(capsys, monkeypatch, argv):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = run(capsys, *argv)
    assert code == EXIT_LOCAL, err
    assert "nope" in err


def test_an_unknown_profile_from_the_environment_is_a_local_refusal(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("OFFER_TUI_PROFILE", "nope")
    code, out, err = run(capsys, "list")
    assert code == EXIT_LOCAL and "nope" in err
