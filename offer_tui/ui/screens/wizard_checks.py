"""The wizard's warnings that need the API: the catalog's placements and offers with the same name.

A mixin of ``WizardScreen``. The placements come with the catalog the app fetches; the name is
looked up once per (offer type, name) when Review is shown, by the app, in a worker
(``NameCheckWanted``), which hands the answer back with ``set_name_matches``. A document based on
an existing offer (a GET response, "create another", a clone) is looked up as it loads. F9 looks up
the name it is about to send (not the one the form opened with) and shows a taken one on Review
before it sends. Warnings only:
the catalog may be stale, and a second offer of the same name may be what the user wants.
"""

from __future__ import annotations

from typing import Any

from offer_tui.model import Issue
from offer_tui.model.advice import placement_warnings, same_name_warnings
from offer_tui.ui.screens.wizard_messages import NameCheckWanted


class WizardChecks:
    def _init_checks(self) -> None:
        # (offer type, name) -> the offers the API has with that name ([] also when the lookup failed).
        self.name_matches: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._name_pending: dict[tuple[str, str], bool] = {}  # -> whether F9 waits on the answer
        self._name_warned: set[tuple[str, str]] = set()  # shown on Review: F9 may send

    def _name_key(self, doc: dict[str, Any] | None = None) -> tuple[str, str] | None:
        name = (doc if doc is not None else self.doc).get("name")
        if not isinstance(name, str) or not name.strip():
            return None
        return self.offer_type, name.strip()

    def _same_named(self, key: tuple[str, str]) -> list[dict[str, Any]]:
        """The known offers with this name, except the one being edited (edit mode)."""
        edit = getattr(self, "edit", None)
        own = edit.offer_id if edit is not None else None
        return [m for m in self.name_matches.get(key, []) if not own or m.get("id") != own]

    def api_warnings(self, doc: dict[str, Any]) -> list[Issue]:
        """Warnings from what the API told us: placements (channel, component type) and the name."""
        placements, _ = self.catalog.get("placements", (None, None))
        issues = placement_warnings(doc, placements)
        key = self._name_key(doc)
        if key is not None and self._same_named(key):
            issues += same_name_warnings(key[1], key[0], self._same_named(key))
        return issues

    def want_name_check(self, doc: dict[str, Any] | None = None) -> None:
        """Ask the app to look the name up, once per name (in a worker): when Review is shown, and
        when a document based on an existing offer is loaded (a GET response, "create another")."""
        key = self._name_key(doc)
        if key is None or key in self.name_matches or key in self._name_pending:
            return
        self._name_pending[key] = False
        self.post_message(NameCheckWanted(key[1], key[0]))

    def set_name_matches(self, offer_type: str, name: str, matches: list[dict[str, Any]] | None) -> None:
        """The app's answer (``None``: the lookup failed, which warns about nothing)."""
        key = (offer_type, name)
        then_submit = self._name_pending.pop(key, False)
        self.name_matches[key] = [m for m in matches or [] if isinstance(m, dict)]
        if self.current == "review":
            self._name_warned.add(key)  # shown where the user is looking
        self.rebuild(schedule=False)
        if then_submit and self._name_key() == key:
            self.action_submit()  # F9 waited for this answer: it sends, or shows the same-named offers

    def unseen_same_name(self) -> bool:
        """F9 with a name an existing offer has, not yet shown: show it on Review instead of sending
        (the next F9 sends: a second offer of that name may be what the user wants). While a lookup
        of this name is under way, F9 waits for its answer."""
        key = self._name_key()
        if key is not None and key not in self.name_matches and key not in self._name_pending:
            # The name about to be sent was never looked up (renamed since the form opened): look it
            # up now and send on the answer (issue 13, 2.4: a renamed clone went out as a duplicate).
            self.want_name_check()
        if key is not None and key in self._name_pending:
            if not self._name_pending[key]:
                self.notify(f"Looking up offers named '{key[1]}' first; it sends when the answer comes.",
                            title="Submit", timeout=4)
            self._name_pending[key] = True
            return True
        if key is None or not self._same_named(key) or key in self._name_warned:
            return False
        self._name_warned.add(key)
        self.go_to("review")
        ids = ", ".join(str(m.get("id")) for m in self._same_named(key)[:3])
        self.notify(f"An offer named '{key[1]}' already exists ({ids}). F9 again creates another one.",
                    severity="warning", title="Not submitted yet")
        return True

    def forget_names(self) -> None:
        """After a create: the name now exists, so every name is looked up again."""
        self.name_matches.clear()
        self._name_warned.clear()
