"""Benchmark: how many keys the documented personalized offer takes, typed into the real app.

    python bench/keys_documented_offer.py [--columns 120 --rows 40] [--show]

Starts the demo API in this process (its catalogue plus the documented example's placement
`offerPlacement1234`, an email placement, as the documentation puts it on a web representation),
runs the real `offer-tui` in a pseudo-terminal against it from an empty wizard, and types Adobe's
documented personalized offer (`create-personalized-offer.md`, kept as tests/data/seed_offer.json)
along the shortest path the UI offers, using only keys that F1 or the README explain. Every typed
character and every special key counts one. Then it checks that the body the demo API received
equals the documented one exactly, and prints the count.

Exits 0 when the body is the documented one, 1 when it differs or never arrived (the count is a
figure to report, not a pass/fail: tests/test_keys_documented_offer.py keeps the body in CI).
Before issue 17 the same offer took 199 keys.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO_ROOT))

from pty_session import ALT_SCREEN, PtySession  # noqa: E402

DOCUMENTED = REPO_ROOT / "tests" / "data" / "seed_offer.json"
BEFORE = 199  # measured the same way before issue 17 (README, issue 17)
ESCAPES = re.compile(rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
DOCUMENTED_PLACEMENT = {
    "id": "offerPlacement1234", "name": "Documented example placement", "description": "",
    "channel": "https://ns.adobe.com/xdm/channel-types/email", "componentType": "html",
}

F4, F9, TAB, ENTER, SPACE = "\x1bOS", "\x1b[20~", "\t", "\r", " "
WAIT = object()  # not a key: wait until the screen is quiet (the app has caught up)


def wait_for(text: str) -> tuple[str, str]:
    """Not a key: wait until ``text`` is on the screen."""
    return ("wait-for", text)


def documented_path(doc: dict[str, Any]) -> list[Any]:
    """The keys, in order (strings are keys or typed text, one key per character)."""
    rep = doc["representations"][0]
    cap = doc["frequencyCappingConstraints"][0]
    assert rep["placement"] == DOCUMENTED_PLACEMENT["id"] and cap["enabled"] is False
    return [
        wait_for("Summer sale"),  # the empty wizard, focus in Name
        doc["name"], F4, WAIT,  # Representations: focus on the (empty) placement picker
        wait_for("on others"),  # the placements are listed
        "12", WAIT, ENTER, WAIT,  # typing opens the list and finds "...1234"; Enter picks it
        rep["components"][0]["content"],  # focus moved to Content (type/format come with the placement)
        F4, WAIT,  # Constraints: focus in Start
        "2022-07-27 5:00", TAB, "+1y2d",  # End: one year and two days after Start
        F4, WAIT,  # Capping: focus on "+ Add frequency cap"
        ENTER, WAIT, SPACE,  # a new cap, focus on its Enabled box: untick it (documented: false)
        TAB, TAB, "2023-05-15 14:25:49.622", TAB, "+10d",  # Limit stays 1; From; Until 10 days later
        WAIT, F9,
    ]


@dataclass
class Result:
    keys: int
    body: dict[str, Any] | None
    documented: dict[str, Any]
    status: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return self.body == self.documented


def screen_text(session: PtySession) -> str:
    return ESCAPES.sub(b"", session.output).decode("utf-8", errors="replace")


def _catalogue_with_documented_placement(server: Any) -> None:
    placements, by_id = server.state.catalogue["placements"]
    server.state.catalogue = {**server.state.catalogue,
                              "placements": ((*placements, DOCUMENTED_PLACEMENT),
                                             {**by_id, DOCUMENTED_PLACEMENT["id"]: DOCUMENTED_PLACEMENT})}


def measure(columns: int = 120, rows: int = 40, timeout: float = 30.0) -> Result:
    from offer_tui.demo import DemoServer, demo_settings

    documented = json.loads(DOCUMENTED.read_text())
    server = DemoServer().start()
    _catalogue_with_documented_placement(server)
    settings = demo_settings(server)
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "OFFER_TUI_"))}
        env.update(
            TERM="xterm-256color", TEXTUAL_ANIMATIONS="none", PYTHONPATH=str(REPO_ROOT),
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            OFFER_TUI_CONFIG_DIR=str(Path(tmp) / "config"), OFFER_TUI_STATE_DIR=str(Path(tmp) / "state"),
            OFFER_TUI_ENDPOINT=settings.endpoint, OFFER_TUI_IMS_URL=settings.ims_url,
            OFFER_TUI_CLIENT_ID=settings.client_id, OFFER_TUI_CLIENT_SECRET=settings.client_secret,
            OFFER_TUI_IMS_ORG=settings.ims_org, OFFER_TUI_SANDBOX=settings.sandbox,
        )
        session = PtySession([sys.executable, "-m", "offer_tui"], env, columns=columns, rows=rows, cwd=tmp).start()
        result = Result(0, None, documented)
        try:
            _type(session, documented_path(documented), result, timeout)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                posts = [r for r in server.received if r["method"] == "POST" and r["rel"].startswith("/offers")]
                if posts and posts[-1]["status"] is not None:
                    result.body, result.status = posts[-1]["json"], posts[-1]["status"]
                    break
                time.sleep(0.05)
            else:
                result.notes.append("no POST /offers reached the demo API")
                result.notes.append("the screen's last text: " + screen_text(session)[-1500:])
        finally:
            session.close()
            server.stop()
    return result


def _type(session: PtySession, path: list[Any], result: Result, timeout: float) -> None:
    bytes_at_last_key = session.byte_count()
    for step in path:
        if step is WAIT:
            # The app has answered the last key (something was drawn since), then went quiet.
            session.wait_for(lambda out, n=bytes_at_last_key: len(out) > n, timeout)
            session.wait_quiet(0.3, timeout)
        elif isinstance(step, tuple):
            text = step[1]
            if not session.wait_for(lambda out, t=text: ALT_SCREEN in out and t in
                                    ESCAPES.sub(b"", out).decode("utf-8", "replace"), timeout):
                result.notes.append(f"never saw {text!r} on the screen")
            session.wait_quiet(0.3, timeout)
        elif step.startswith("\x1b"):
            bytes_at_last_key = session.byte_count()
            session.send(step.encode())
            result.keys += 1
        else:
            for char in step:  # one key per character, as a person types
                bytes_at_last_key = session.byte_count()
                session.send(char.encode())
                result.keys += 1
                time.sleep(0.005)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", type=int, default=120)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--show", action="store_true", help="print the body received")
    args = parser.parse_args(argv)
    result = measure(args.columns, args.rows)
    print(f"documented personalized offer: {result.keys} keys ({args.columns}x{args.rows}; before: {BEFORE})")
    print(f"demo API answered {result.status}; body {'equals' if result.same else 'DIFFERS from'} the documented one")
    for note in result.notes:
        print(f"note: {note}")
    if args.show or not result.same:
        print(json.dumps(result.body, indent=2))
    return 0 if result.same else 1


if __name__ == "__main__":
    sys.exit(main())
