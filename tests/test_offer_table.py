"""The library's table sizes its columns to the rows as they are added, not on a later Idle.

Textual's DataTable measures new rows when its message queue next runs empty; on a busy app
(a loaded jump host, pages arriving in a burst) frames were drawn before that with every column
at its header's width ("Wint", "approv"), and snapshots caught it now and then under load.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from offer_tui.ui.widgets.offer_table import OfferTable, row_cells

OFFER = {"id": "dps:personalized-offer:1e9d5c0000000000", "name": "Winter sale 20% (app)", "status": "approved",
         "etag": 1}


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield OfferTable(id="table")


async def test_columns_fit_the_rows_as_soon_as_they_are_added():
    app = TableApp()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(OfferTable)
        await pilot.pause()
        table.add_rows_of([row_cells(OFFER, "personalized")])
        # No pause: nothing has had an Idle yet.
        assert table.columns["name"].content_width >= len(OFFER["name"])
        assert table.columns["status"].content_width >= len("approved")
