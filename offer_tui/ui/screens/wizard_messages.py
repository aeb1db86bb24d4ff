"""What the wizard tells the app. The wizard never calls into the app: it posts these messages,
which bubble from the screen to the app, and the app (or one of its flows) acts on them."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class SubmitRequested(Message):
    """F9 on a valid document: create it, or (``edit`` is the offer being edited) send the patch."""

    def __init__(self, doc: dict[str, Any], offer_type: str, edit: Any = None) -> None:
        super().__init__()
        self.doc = doc
        self.offer_type = offer_type
        self.edit = edit


class DraftChanged(Message):
    """The user changed the document: save it as a draft soon."""

    def __init__(self, doc: dict[str, Any], offer_type: str, step: str, based_on: str | None,
                 edit: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.doc = doc
        self.offer_type = offer_type
        self.step = step
        self.based_on = based_on
        self.edit = edit  # an edit's target (offer id, etag, the offer as opened), so it resumes as an edit


class UserEdited(Message):
    """A keystroke or another edit: the app's idle timer starts over."""


class CatalogWanted(Message):
    """A step that shows placements or rules opened (fetch once), or F5 (``reload``: fetch again)."""

    def __init__(self, reload: bool = False) -> None:
        super().__init__()
        self.reload = reload


class NameCheckWanted(Message):
    """Review is shown (or F9 pressed) for a name not yet looked up: find offers with this name."""

    def __init__(self, name: str, offer_type: str) -> None:
        super().__init__()
        self.name = name
        self.offer_type = offer_type
