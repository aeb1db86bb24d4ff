"""Every kind's listing is bounded and checked like the offers' (issue 14): api/library.py pages
through the client's checked page read and api/paging.PageGuard. Against the small hostile server
on 127.0.0.1 (tests/hostile_http.py). Before, a decisions page without a list of results was
"no decisions" and an endless next link was followed until the time budget."""

from __future__ import annotations

import io
import sys

import pytest

from hostile_http import HostileServer
from offer_tui.cli import main
from offer_tui.exit_codes import EXIT_API

pytestmark = pytest.mark.timeout(60)


def run(capsys, monkeypatch, server: HostileServer, *argv: str) -> tuple[int, str, str]:
    for name, value in server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def decision(n: int) -> dict:
    return {"id": f"dps:offer-activity:{n:016x}", "name": f"Decision {n}", "status": "draft"}


@pytest.mark.parametrize("results", ["not a list", [1, 2], None])
@pytest.mark.parametrize("word", ["decisions", "tags"])
def test_a_page_of_any_kind_that_is_not_a_list_is_an_error_not_empty(capsys, monkeypatch, results, word):
    body = {"count": 1, "total": 1, "_links": {}}
    if results is not None:
        body["results"] = results
    with HostileServer(lambda path: (200, body)) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", word)
    assert code == EXIT_API, err
    assert f"No {word}" not in err and "page of the list" in err and out == ""


def test_an_endless_listing_of_decisions_stops_where_the_total_says(capsys, monkeypatch):
    def answer(path):
        start = int(path.rsplit("start=", 1)[1]) if "start=" in path else 0
        return 200, {"results": [decision(start)], "count": 1, "total": 3,
                     "_links": {"next": {"href": f"/offer-decisions?start={start + 1}"}}}

    with HostileServer(answer) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", "decisions", "--json")
        pages = len(server.requests)
    assert code == EXIT_API and "Listing decisions" in err and "did not end" in err
    assert 3 <= pages <= 10 and len(out.splitlines()) == pages  # streamed


def test_an_endless_listing_with_a_huge_total_stops_at_the_hard_cap(capsys, monkeypatch):
    from offer_tui.api import paging

    monkeypatch.setattr(paging, "HARD_PAGE_CAP", 25)

    def answer(path):
        start = int(path.rsplit("start=", 1)[1]) if "start=" in path else 0
        return 200, {"results": [decision(start)], "count": 1, "total": 10**12,
                     "_links": {"next": {"href": f"/tags?start={start + 1}"}}}

    with HostileServer(answer) as server:
        code, out, err = run(capsys, monkeypatch, server, "list", "tags", "--json")
    assert code == EXIT_API and "25 pages" in err and len(out.splitlines()) == 25


async def test_library_iterate_refuses_a_bad_page_and_bounds_an_endless_one():
    """The Library itself (what the library screen and the service page with), not only the CLI."""
    from offer_tui.api import OfferClient
    from offer_tui.api.errors import ApiError
    from offer_tui.api.library import Library

    with HostileServer(lambda path: (200, {"results": {"a": 1}, "total": 1})) as server:
        async with OfferClient.from_settings(server.settings()) as client:
            with pytest.raises(ApiError) as raised:
                [x async for x in Library(client).iterate("decisions")]
    assert raised.value.code == "bad_page"

    def endless(path):
        start = int(path.rsplit("start=", 1)[1]) if "start=" in path else 0
        return 200, {"results": [decision(start)], "total": 2,
                     "_links": {"next": {"href": f"/offer-decisions?start={start + 1}"}}}

    with HostileServer(endless) as server:
        async with OfferClient.from_settings(server.settings()) as client:
            with pytest.raises(ApiError) as raised:
                [x async for x in Library(client).iterate("decisions")]
            pages = len(server.requests)
    assert raised.value.code == "too_many_pages" and pages <= 6
