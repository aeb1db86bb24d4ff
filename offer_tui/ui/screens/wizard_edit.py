"""The wizard's edit mode: the offer as opened, its etag, and the JSON Patch the form amounts to.

A mixin of ``WizardScreen``. In edit mode F9 sends a PATCH instead of creating an offer (the
app's edit flow does that, after checking the etag); the header says what is being edited and
Review shows the patch as one readable line per operation beside the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from offer_tui.model import strip_server_fields
from offer_tui.safe_text import terminal_safe


@dataclass
class EditTarget:
    """The offer being edited, as it was opened (server fields kept: etag, id, modified)."""

    offer_id: str
    offer_type: str
    opened: dict[str, Any] = field(repr=False)
    # What the form builds from the opened offer before any edit: the wizard may add what the
    # server left out (an empty cappingConstraint); such differences are not the user's change.
    baseline: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def etag(self) -> Any:
        return self.opened.get("etag")

    @property
    def name(self) -> str:
        return terminal_safe(self.opened.get("name", ""), limit=80, one_line=True)

    def to_draft(self) -> dict[str, Any]:
        return {"offer_id": self.offer_id, "etag": self.etag, "opened": self.opened}

    def target(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The offer as the user wants it: the opened copy with the changes they made in the form."""
        from offer_tui.model.patch import PatchApplyError, apply_edit, diff_documents

        if self.baseline is None:
            return doc
        try:
            return apply_edit(strip_server_fields(self.opened)[0], diff_documents(self.baseline, doc))
        except PatchApplyError:
            return doc  # a change inside something only the form added: send the form as it is

    def patch(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        """The JSON Patch from the offer as opened to the form's ``doc``."""
        from offer_tui.model.patch import make_edit_patch

        return make_edit_patch(self.opened, self.target(doc))

    def patch_lines(self, ops: list[dict[str, Any]]) -> list[str]:
        from offer_tui.model.patch import patch_lines

        return patch_lines(ops, self.opened)


class WizardEdit:
    edit: EditTarget | None = None

    async def start_edit(self, offer: dict[str, Any], offer_type: str, doc: dict[str, Any] | None = None,
                         step: str = "basics", dirty: bool = False) -> None:
        """Edit ``offer`` (as fetched). ``doc``: the form's content when it is not the offer itself
        (a change re-applied on a fresh copy, a resumed draft)."""
        target = EditTarget(str(offer.get("id", "")), offer_type, offer)
        load = self.load_document  # type: ignore[attr-defined]
        await load(strip_server_fields(offer)[0], offer_type, step=step, dirty=dirty, edit=target)
        target.baseline = self.build_document()  # type: ignore[attr-defined]
        if doc is not None:
            await load(doc, offer_type, step=step, dirty=dirty, edit=target)
        self.show_edit_patch()

    def show_edit_mode(self) -> None:
        """The header and the note under it say what F9 will do."""
        label = self.query_one("#based-on")  # type: ignore[attr-defined]
        if self.edit is None:
            self.title = None  # type: ignore[attr-defined]  # the app's title again
            return
        self.title = f"Editing {self.edit.name} · etag {terminal_safe(self.edit.etag, limit=20)}"  # type: ignore[attr-defined]
        label.update(f"Editing {self.edit.offer_id}: F9 sends a JSON Patch.")
        label.display = True

    def show_edit_patch(self) -> None:
        """Review's patch panel: the operations F9 would send now (hidden when not editing)."""
        from offer_tui.ui.steps.review import ReviewStep

        review = self.steps["review"]  # type: ignore[attr-defined]
        assert isinstance(review, ReviewStep)
        if self.edit is None:
            review.set_patch(None)
            return
        ops = self.edit.patch(self.doc)  # type: ignore[attr-defined]
        review.set_patch(self.edit.patch_lines(ops))
