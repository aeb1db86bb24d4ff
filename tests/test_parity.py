"""The parity test (issue 13): the command line and the app give the same verdict to the same answer.

One table: every hostile answer of ``offer_tui.demo.faults`` (a receipt, 204, 200 with an empty body,
HTML or an array, an undecodable 2xx, 302, the 4xx, 5xx, a reset after the request was written, a
timeout), with the server having carried the write out and not, for create, update, set-status and
delete. Each row runs through the CLI (``offer_tui.cli.main`` in-process) and through the real app
(Textual Pilot: F9 in the wizard for create and update, the library's approve and delete actions),
one app per operation. For every row:

- both front ends reach the same verdict: done / refused / unknown and what the re-read found
  (the service outcome each front end got, recorded by wrapping ``offer_tui.service.objects``, where every write ends);
- the verdict is the expected one (the table below says why);
- what each front end shows carries that verdict (the CLI's exit code is ``exit_code(outcome)``,
  its text holds the re-read's finding; the app shows the same finding);
- the demo's request log shows the write sent exactly once (twice for the 401, which proves
  nothing happened and is answered by one fresh token and one repeat).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from textual.widgets import Input, Static

from offer_tui.cli import main
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.demo.faults import RECEIPT, arm
from offer_tui.demo.seed import DEMO_OFFERS
from offer_tui.service.outcomes import APPLIED, CANNOT_TELL, NOT_APPLIED, exit_code, verdict_of
from test_ui_helpers import SIZE_NARROW, make_app, settle, type_in

EXAMPLE = Path(__file__).parent.parent / "examples" / "personalized-offer.json"
SEED = "dps:personalized-offer:1e9d5c0000000000"
METHOD = {"create": "POST", "update": "PATCH", "set-status": "PATCH", "delete": "DELETE"}
FOUR_XX = ("400", "403", "404", "409", "412", "429")
IN_FLIGHT = ("502 html", "504", "reset", "timeout")  # no answer from the service itself: may still land
TIMEOUT = 1.0  # the budget for the timeout row; the demo answers it after 3 s

# (case, applied): a receipt is only given for a write carried out; a 401 only for one that was not.
ROWS = [(RECEIPT, True), ("401 then fine", False)] + [
    (case, applied) for case in ("204", "200 empty", "200 html", "200 array", "2xx undecodable", "302", *FOUR_XX,
                                 "500", "503", *IN_FLIGHT)
    for applied in (False, True)
]


def expected(op: str, case: str, applied: bool) -> tuple[str, str]:
    """(verdict, what the re-read found): the rule both front ends must follow."""
    if case in (RECEIPT, "401 then fine"):
        return "done", APPLIED
    if case == "200 empty" and op == "delete":  # the documented answer, confirmed by the re-read's 404
        return ("done", APPLIED) if applied else ("unknown", NOT_APPLIED)
    if case in FOUR_XX:
        return "refused", NOT_APPLIED  # the service refused the request as a whole
    if applied:
        # An offer found by name after a create may be an older one: without the ids seen before
        # sending, the lookup cannot prove it (the wizard's name check can supply them).
        return "unknown", CANNOT_TELL if op == "create" else APPLIED
    return "unknown", CANNOT_TELL if case in IN_FLIGHT else NOT_APPLIED


_ids = itertools.count(1)


def new_target(server: DemoServer, status: str = "draft") -> tuple[str, str]:
    """A fresh offer for one row: (id, name)."""
    number = next(_ids)
    offer_id = f"dps:personalized-offer:{0x7a00000000000000 + number:016x}"
    body = copy.deepcopy(server.offers[SEED]["body"])
    body["name"], body["status"] = f"Parity target {number}", status
    server.state.add_offer("personalized", offer_id, body, created="2026-01-01T00:00:00.000Z",
                           modified="2026-01-01T00:00:00.000Z")
    return offer_id, body["name"]


def writes(server: DemoServer, op: str, offer_id: str | None, since: int) -> list[dict]:
    method = METHOD[op]
    quoted = quote(offer_id, safe="") if offer_id is not None else ""
    return [r for r in server.received[since:] if r["method"] == method and "/offers" in r["path"]
            and (offer_id is None or quoted in r["path"] or offer_id in r["path"])]


@pytest.fixture
def recorded(monkeypatch):
    """Every outcome the service returns, whichever front end asked. Wrapped where every kind's
    writes live (service/objects.py): service/offers.py's writes and the CLI's both end there."""
    from offer_tui.service import objects

    seen: list = []
    for name in ("create", "patch", "delete"):
        original = getattr(objects, name)

        async def wrapper(*args, _original=original, **kwargs):
            outcome = await _original(*args, **kwargs)
            seen.append(outcome)
            return outcome

        monkeypatch.setattr(objects, name, wrapper)
    return seen


@pytest.fixture
def server(monkeypatch):
    server = DemoServer(page_size=50, seed_offers=DEMO_OFFERS).start()
    settings = demo_settings(server)
    for name, value in {
        "OFFER_TUI_ENDPOINT": settings.endpoint, "OFFER_TUI_IMS_URL": settings.ims_url,
        "OFFER_TUI_CLIENT_ID": settings.client_id, "OFFER_TUI_CLIENT_SECRET": settings.client_secret,
        "OFFER_TUI_IMS_ORG": settings.ims_org, "OFFER_TUI_SANDBOX": settings.sandbox,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("OFFER_TUI_PROFILE", raising=False)
    yield server
    server.stop()


async def wait_until(pilot, predicate, timeout: float = 15.0) -> None:
    """A bounded wait on a condition, polled finely (the table has 148 app rows)."""
    for _ in range(int(timeout / 0.01)):
        if predicate():
            return
        await pilot.pause(0.01)
    raise AssertionError("the condition never held")


async def wait_for_screen(pilot, cls: type):
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, cls))
    await pilot.pause()
    return pilot.app.screen


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


# -- the command line ----------------------------------------------------------------------------


def run_cli(op: str, case: str, applied: bool, server: DemoServer, tmp_path: Path, capsys) -> tuple[str | None, str, int]:
    """Run one row through the CLI; returns (the written offer's id, its name, the exit code)."""
    timeout = ["--timeout", str(TIMEOUT)] if case == "timeout" else ["--timeout", "20"]
    if op == "create":
        doc = json.loads(EXAMPLE.read_text())
        doc["name"] = f"Parity cli {case} {applied}"
        path = tmp_path / f"create-{next(_ids)}.json"
        path.write_text(json.dumps(doc))
        arm(server, case, applied=applied, method="POST")
        return None, doc["name"], main([*timeout, "submit", str(path)])
    offer_id, name = new_target(server)
    if op == "update":
        body = copy.deepcopy(server.offers[offer_id]["body"])
        body["description"] = f"changed by the cli ({case})"
        path = tmp_path / f"update-{next(_ids)}.json"
        path.write_text(json.dumps(body))
        argv = ["update", offer_id, str(path)]
    elif op == "set-status":
        argv = ["set-status", offer_id, "approved"]
    else:
        argv = ["delete", offer_id, "--yes"]
    arm(server, case, applied=applied, method=METHOD[op])
    return offer_id, name, main([*timeout, *argv])


# -- the app ------------------------------------------------------------------------------------------


async def run_app(op: str, rows, server: DemoServer, tmp_path: Path, recorded: list) -> dict:
    """Every row through one real app; returns {row: (outcome, shown text, writes)}."""
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.confirm_delete import ConfirmOfferDeleteScreen
    from offer_tui.ui.screens.failure import FailureScreen
    from offer_tui.ui.screens.offer_actions import OfferAction
    from offer_tui.ui.screens.success import SuccessScreen
    from offer_tui.ui.screens.wizard import WizardScreen
    from offer_tui.ui.widgets.offer_table import OfferRow

    results = {}
    app = make_app(demo_settings(server), tmp_path / "app")
    shown_notes: list[str] = []  # every notification, kept (Textual drops expired ones)
    notify = app.notify

    def recording_notify(message, *args, **kwargs):
        shown_notes.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording_notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        client = await app.acquire_client()
        for case, applied in rows:
            client.budget = TIMEOUT if case == "timeout" else 20.0
            before_log, before_notes, before_outcomes = len(server.received), len(shown_notes), len(recorded)
            offer_id = None
            shown = ""
            if op == "create":
                doc = json.loads(EXAMPLE.read_text())
                doc["name"] = f"Parity app {case} {applied}"
                await app.wizard.load_document(doc, "personalized")
                await pilot.pause()
                arm(server, case, applied=applied, method="POST")
                await pilot.press("f9")
                await wait_until(pilot, lambda: len(recorded) > before_outcomes and isinstance(
                    app.screen, (SuccessScreen, FailureScreen)))
                await pilot.pause()
                if isinstance(app.screen, FailureScreen):
                    shown = str(app.screen.query_one("#failure-title", Static).render()) + "\n" + \
                        str(app.screen.query_one("#failure-details", Static).render())
                else:
                    shown = str(app.screen.query_one("#success-title", Static).render())
                # Esc is off after a create (back to the sent form invites a duplicate): ctrl+n.
                await pilot.press("escape" if isinstance(app.screen, FailureScreen) else "ctrl+n")
                await wait_for_screen(pilot, WizardScreen)
            elif op == "update":
                offer_id, name = new_target(server)
                assert await app.library_flow.open_in_wizard(offer_id, "personalized", "edit")
                await pilot.pause()
                await type_in(pilot, app.wizard.query_one("#name", Input), f"{name} (edited in the app)")
                arm(server, case, applied=applied, method="PATCH")
                await pilot.press("f9")
                await wait_until(pilot, lambda: len(recorded) > before_outcomes and not app.edit_flow.busy)
                await pilot.pause()
                if isinstance(app.screen, SuccessScreen):
                    shown = str(app.screen.query_one("#success-title", Static).render())
                    await pilot.press("escape")
                    await wait_for_screen(pilot, WizardScreen)
            else:
                offer_id, name = new_target(server)
                row = OfferRow(offer_id, name, "draft", "personalized", 1)
                app.post_message(OfferAction("approve" if op == "set-status" else "delete", row))
                if op == "set-status":
                    await wait_for_screen(pilot, ConfirmScreen)
                    arm(server, case, applied=applied, method="PATCH")
                    await pilot.press("y")
                else:
                    confirm = await wait_for_screen(pilot, ConfirmOfferDeleteScreen)
                    confirm.query_one(Input).value = name
                    arm(server, case, applied=applied, method="DELETE")
                    await pilot.press("enter")
                await wait_until(pilot, lambda: len(recorded) > before_outcomes and not app.library_flow.busy)
                await pilot.pause()
            shown += "\n" + "\n".join(shown_notes[before_notes:])
            sent = writes(server, op, offer_id, before_log)
            if op == "create":
                sent = [r for r in sent if (r.get("json") or {}).get("name") == doc["name"]]
            results[(case, applied)] = (recorded[-1], shown, sent)
            server.state.clear_failures()
            app.clear_notifications()  # recorded above; a pile of toasts only slows each frame
    return results


@pytest.mark.xdist_group("parity")
@pytest.mark.parametrize("op", ["create", "update", "set-status", "delete"])
def test_the_cli_and_the_app_give_the_same_verdict(op, server, tmp_path, capsys, recorded):
    cli = {}
    for case, applied in ROWS:
        before = len(server.received)
        offer_id, name, code = run_cli(op, case, applied, server, tmp_path, capsys)
        out, err = capsys.readouterr()
        sent = writes(server, op, offer_id, before)
        if op == "create":
            sent = [r for r in sent if (r.get("json") or {}).get("name") == name]
        cli[(case, applied)] = (recorded[-1], code, out + err, sent)
        server.state.clear_failures()
        assert "Traceback" not in err, (case, applied, err)

    app = asyncio.run(run_app(op, ROWS, server, tmp_path, recorded))

    problems = []
    for row in ROWS:
        case, applied = row
        want = expected(op, case, applied)
        cli_outcome, code, cli_text, cli_sent = cli[row]
        app_outcome, app_text, app_sent = app[row]
        times = 2 if case == "401 then fine" else 1
        checks = {
            "cli verdict": verdict_of(cli_outcome) == want,
            "app verdict": verdict_of(app_outcome) == want,
            "cli exit code": code == exit_code(cli_outcome),
            "cli sent once": len(cli_sent) == times,
            "app sent once": len(app_sent) == times,
            # What each front end shows carries the re-read's finding (its first words, wrapping aside).
            "cli shows the finding": not getattr(cli_outcome, "reread", "")
            or flat(cli_outcome.reread)[:50] in flat(cli_text),
            "app shows the finding": not getattr(app_outcome, "reread", "")
            or flat(app_outcome.reread)[:50] in flat(app_text),
        }
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            problems.append(f"{op} {case!r} applied={applied}: {failed}; want {want}, "
                            f"cli {verdict_of(cli_outcome)} exit {code}, app {verdict_of(app_outcome)}; "
                            f"sent cli {len(cli_sent)} app {len(app_sent)}")
    assert not problems, "\n".join(problems)
