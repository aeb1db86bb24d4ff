"""A listing is an answer only when the server gave one, and it always ends (issue 13, 2.6 and 3.1).

Against a small hostile server on 127.0.0.1 (tests/hostile_http.py): pages that are not lists,
fresh next links for ever, a total that never arrives, a slow endless list.
"""

from __future__ import annotations

import io
import os
import selectors
import subprocess
import sys
import time

import pytest

from offer_tui.cli import main
from offer_tui.exit_codes import EXIT_API, EXIT_OK
from hostile_http import HostileServer, endless, offer

pytestmark = pytest.mark.timeout(60)


def run(capsys, monkeypatch, server: HostileServer, *argv: str) -> tuple[int, str, str]:
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("results", ["not a list", {"a": 1}, [1, 2], [offer(1), "x"], None])
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_page_that_is_not_a_list_of_offers_is_an_error_not_empty(capsys, monkeypatch, results, json_flag):
    body = {"count": 1, "total": 1, "_links": {}}
    if results is not None:
        body["results"] = results
    with HostileServer(lambda path: (200, body)) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", *json_flag)
    assert code == EXIT_API, err
    assert "No offers" not in err and "page of the list" in err
    assert out == ""


def test_fallback_listing_says_no_fallback_offers_and_that_personalized_ones_exist(capsys, monkeypatch):
    def answer(path):
        if "offer-type=fallback" in path:
            return 200, {"results": [], "count": 0, "total": 0, "_links": {}}
        return 200, {"results": [offer(1)], "count": 1, "total": 301, "_links": {}}

    with HostileServer(answer) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", "--type", "fallback")
    assert code == EXIT_OK and out == ""
    assert "No fallback offers in sandbox " in err and "301 personalized offers exist" in err
    assert "No offers yet" not in err


def test_a_total_the_server_never_reaches_bounds_the_pages(capsys, monkeypatch):
    """total 3 at one offer a page: 3 pages, plus a margin; not the 1000-page hard cap."""
    def answer(path):
        status, body = endless(path)
        body["total"] = 3
        return status, body

    with HostileServer(answer) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", "--json")
        pages = len(server.requests)
    assert code == EXIT_API and "did not end" in err
    assert 3 <= pages <= 10
    assert len(out.splitlines()) == pages  # streamed: what arrived was printed


def test_an_endless_list_with_a_huge_total_stops_at_the_hard_cap(capsys, monkeypatch):
    from offer_tui.api import paging

    monkeypatch.setattr(paging, "HARD_PAGE_CAP", 25)
    with HostileServer(endless) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", "--json", "--limit", "100000000")
        pages = len(server.requests)
    assert code == EXIT_API and "25 pages" in err
    assert pages == 25 and len(out.splitlines()) == 25


def test_an_endless_list_stops_within_the_time_budget(capsys, monkeypatch):
    with HostileServer(endless, delay=0.05) as server:
        started = time.monotonic()
        code, out, err = run(capsys, monkeypatch, server, "list", "--json", "--timeout", "1.5")
        elapsed = time.monotonic() - started
    assert code == EXIT_API and "within 1.5 s" in err and "--timeout" in err
    assert elapsed < 6
    assert 1 <= len(out.splitlines())


def test_a_huge_limit_table_streams_and_stops_when_its_reader_is_gone():
    """`list --limit 100000000 | reader`, then the reader dies: the table is printed in blocks as pages
    arrive (not held: it reached 1.5 GB), and the write that fails (EPIPE) ends the process."""
    with HostileServer(endless) as server:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("OFFER_TUI_")}, **server.env(),
               "OFFER_TUI_TIMEOUT": "50"}
        proc = subprocess.Popen([sys.executable, "-m", "offer_tui", "list", "--limit", "100000000"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
        try:
            with selectors.DefaultSelector() as sel:
                sel.register(proc.stdout, selectors.EVENT_READ)
                assert sel.select(timeout=30), "no row printed: the table was being held, not streamed"
            first = proc.stdout.readline()
            assert first.split()[:2] == [b"ID", b"NAME"]
            proc.stdout.close()  # the reader is gone
            proc.wait(timeout=20)  # raises TimeoutExpired if it kept on listing
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)


async def test_the_library_screen_says_a_bad_page_is_an_error(tmp_path):
    from library_support import wait_until
    from offer_tui.ui.screens.library import LibraryScreen
    from test_ui_helpers import SIZE_WIDE, make_app

    body = {"results": [1, 2], "count": 2, "total": 1, "_links": {}}
    with HostileServer(lambda path: (200, body)) as server:
        app = make_app(server.settings(), tmp_path, start="library")
        async with app.run_test(size=SIZE_WIDE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
            screen = app.screen
            await wait_until(pilot, lambda: screen.error is not None or screen.total is not None)
            assert screen.error is not None and "page of the list" in screen.error
            assert screen.table.row_count == 0


async def test_the_library_screen_stops_paging_where_the_total_says(tmp_path):
    from library_support import wait_until
    from offer_tui.ui.screens.library import LibraryScreen
    from test_ui_helpers import SIZE_WIDE, make_app

    def answer(path):
        if "/offers" not in path:
            return 200, {"results": [], "count": 0, "total": 0, "_links": {}}
        status, body = endless(path)
        body["total"] = 2
        return status, body

    with HostileServer(answer) as server:
        app = make_app(server.settings(), tmp_path, start="library")
        async with app.run_test(size=SIZE_WIDE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
            screen = app.screen
            for _ in range(20):  # ask for more, again and again, as scrolling to the end does
                await wait_until(pilot, lambda: not screen.loading)
                if screen.error is not None:
                    break
                screen.load_more()
                await pilot.pause()
            assert screen.error is not None and "did not end" in screen.error
            pages = [r for r in server.requests if "/offers" in r]
            assert 2 <= len(pages) <= 2 + 3, pages
