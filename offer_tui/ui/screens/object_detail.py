"""An open object of any kind but offers: its summary, its references by name, what uses it (the
same as ``offer-tui refs``), and its JSON. Enter on a reference (or a user) opens that object;
Esc comes back. Read fresh when opened and on ``r``.
"""

from __future__ import annotations

import json
from typing import Any, Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from offer_tui.log import swallowed
from offer_tui.model.kinds import kind
from offer_tui.safe_text import terminal_safe
from offer_tui.ui.screens.offer_actions import OFFER_ACTION_BINDINGS, OFFER_ONLY, OpenObjectKeys
from offer_tui.ui.widgets.app_header import AppHeader
from offer_tui.ui.widgets.json_preview import JsonPreview
from offer_tui.ui.widgets.key_footer import KeyFooter
from offer_tui.ui.widgets.offer_table import OfferRow, short_id


def _s(value: Any, limit: int = 120) -> str:
    return terminal_safe(value if value is not None else "", limit=limit, one_line=True)


def summary_lines(word: str, obj: dict[str, Any]) -> list[str]:
    """The object's own fields a person reads first (its references are listed below them)."""
    from offer_tui.service.library_view import COLUMNS, cells

    values = cells(word, obj, _NO_NAMES)
    lines = [f"{kind(word).title.capitalize()} “{_s(obj.get('name'), 200)}”", f"Id        {values['id']}"]
    for key, header in COLUMNS[word]:
        if key in ("name", "id", "placements", "fallback", "selects"):
            continue  # named below, with the references
        lines.append(f"{header + ' ':<10}{values.get(key, '-')}")
    if word == "rules":
        condition = obj.get("condition")
        if isinstance(condition, dict):
            lines.append(f"Condition {_s(condition.get('type'), 30)}: {_s(condition.get('value'), 300)}")
    if word == "collections" and obj.get("filterType") == "offers":
        lines.append("Selects   the offers listed below")
    for label, field in (("Created", "created"), ("Modified", "modified")):
        if obj.get(field):
            lines.append(f"{label:<10}{_s(obj.get(field), 40)}")
    return lines


class _NoNames:
    selects: dict[str, int] = {}

    def name(self, word: str, object_id: Any) -> str:
        return _s(object_id)


_NO_NAMES: Any = _NoNames()


class LinkList(OptionList):
    BINDINGS = [Binding("enter", "select", "Open ref", id="object-open-ref", key_display="Enter",
                        tooltip="Open the highlighted reference (or what uses it); Esc comes back")]


class ObjectDetailScreen(OpenObjectKeys, Screen):
    AUTO_FOCUS = "#object-links"
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="object-back", key_display="Esc", tooltip="Back (to the library or the object before)"),
        *OFFER_ACTION_BINDINGS,
        Binding("v", "preview", "Preview", id="object-preview", tooltip="Preview the decision: what it would pick"),
        Binding("f2", "focus_json", "JSON", id="object-json", tooltip="Move to the JSON (scroll it)"),
        Binding("f7", "to_library", "Library", id="object-library", show=False, tooltip="Back to the library"),
    ]
    DEFAULT_CSS = """
    ObjectDetailScreen #object-body { height: 1fr; }
    ObjectDetailScreen #object-left { width: 1fr; min-width: 40; }
    ObjectDetailScreen #object-summary { height: 1fr; padding: 0 1; }
    ObjectDetailScreen #object-links { height: auto; max-height: 50%; border: none; border-top: solid $primary 40%; }
    ObjectDetailScreen #object-json { width: 1fr; border-left: solid $primary 40%; }
    ObjectDetailScreen #object-error { color: $error; padding: 0 1; height: auto; }
    ObjectDetailScreen.-narrow #object-body { layout: vertical; }
    ObjectDetailScreen.-narrow #object-json { border-left: none; border-top: solid $primary 40%; height: 40%; }
    """

    def __init__(self, word: str, object_id: str, acquire_client: Callable[[], Awaitable[Any]],
                 placement_names: Callable[[], dict[str, str]], *, name: str = "") -> None:
        super().__init__()
        self.word = word
        self.object_id = object_id
        self.acquire_client = acquire_client
        self.placement_names = placement_names
        self.obj: dict[str, Any] | None = None
        self.row = OfferRow(object_id, name, "", None, None, word)
        self._link_at: dict[int, tuple[str, str]] = {}  # option index -> (kind word, id)
        self.title = name or object_id

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static("", id="object-error", markup=False)
        with Horizontal(id="object-body"):
            with Vertical(id="object-left"):
                with VerticalScroll(id="object-summary"):
                    yield Static(f"Loading {self.object_id}...", id="object-text", markup=False)
                yield LinkList(id="object-links")
            yield JsonPreview(id="object-json")
        yield KeyFooter(wrap=True)

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < 100, "-narrow")
        self.action_refresh()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from offer_tui.ui.screens.object_form import FORM_KINDS

        if action == "offer" and parameters and parameters[0] in ("clone", "edit"):
            return self.word in FORM_KINDS + ("decisions", "rules")
        if action == "offer" and parameters and parameters[0] in OFFER_ONLY:
            return False
        if action == "preview":
            return self.word == "decisions"
        return True

    def action_refresh(self) -> None:
        self.query_one("#object-error", Static).update("")
        self._fetch()

    @work(exclusive=True, group="object-detail")
    async def _fetch(self) -> None:
        from offer_tui.api import ApiError
        from offer_tui.service.library_view import open_object

        try:
            client = await self.acquire_client()
            opened = await open_object(client, self.word, self.object_id)
        except ApiError as error:
            self.show_error(str(error))
            return
        except Exception as error:  # in place, never a traceback
            swallowed("reading an object for the open pane")
            self.show_error(f"{type(error).__name__}: {error}")
            return
        self.show(opened)

    def show_error(self, message: str) -> None:
        self.query_one("#object-error", Static).update(f"✗ {terminal_safe(message, limit=600)}\n  r: retry")

    def show(self, opened: Any) -> None:
        obj = opened.obj
        self.obj = obj
        self.row = OfferRow(self.object_id, _s(obj.get("name"), 200), _s(obj.get("status"), 20), None,
                            obj.get("etag"), self.word)
        self.title = self.row.name or self.object_id
        lines = opened.summary_lines or summary_lines(self.word, obj)
        # Non-breaking indents: Textual drops a wrapped line's leading spaces.
        lines = ["\u00a0" * (len(line) - len(line.lstrip(" "))) + line.lstrip(" ") for line in lines]
        self.query_one("#object-text", Static).update("\n".join(lines))
        links = self.query_one("#object-links", OptionList)
        links.clear_options()
        options: list[Option] = []
        self._link_at: dict[int, tuple[str, str]] = {}

        def add(prompt: str, link: tuple[str, str] | None = None) -> None:
            if link is not None:
                self._link_at[len(options)] = link
            options.append(Option(prompt, disabled=link is None))

        add(f"References ({len(opened.references)}):")
        for path, word, ref_id, name in opened.references:
            target = word if word in ("offers", "tags") or "|" not in word else word.split("|")[0]
            add(f"  {kind(target).singular} “{name}” {short_id(_s(ref_id))}  ({_s(path, 60)})", (target, ref_id))
        if not opened.references:
            add("  (none)")
        add(f"Used by ({len(opened.users)}):")
        for user in opened.users:
            add(f"  {kind(user.kind).singular} “{_s(user.name, 60)}” {short_id(_s(user.id))}", (user.kind, user.id))
        if not opened.users:
            add("  (nothing uses it)")
        links.add_options(options)
        text = terminal_safe(json.dumps(obj, indent=2, ensure_ascii=False), limit=200_000)
        self.query_one("#object-json", JsonPreview).update_json(text)
        links.focus()

    @on(OptionList.OptionSelected, "#object-links")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_link(event.option_index)

    def action_follow(self) -> None:
        links = self.query_one("#object-links", OptionList)
        if links.highlighted is not None:
            self.open_link(links.highlighted)

    def open_link(self, index: int) -> None:
        word, object_id = self._link_at.get(index, ("", ""))
        if not object_id:
            return
        if word in ("offers", "fallbacks"):
            from offer_tui.ui.screens.offer_detail import OfferDetailScreen

            row = OfferRow(object_id, "", "", "personalized" if word == "offers" else "fallback", None, word)
            self.app.push_screen(OfferDetailScreen(row, self.acquire_client, self.placement_names))
        else:
            self.app.push_screen(ObjectDetailScreen(word, object_id, self.acquire_client, self.placement_names))

    def action_preview(self) -> None:
        if self.word == "decisions":
            from offer_tui.ui.screens.preview import PreviewScreen

            self.app.push_screen(PreviewScreen(self.object_id, self.acquire_client))

    def action_focus_json(self) -> None:
        self.query_one("#object-json").focus()

    def object_deleted(self, object_id: str) -> None:
        if object_id == self.object_id:
            self.dismiss()
