"""New, edit and clone for the kinds other than offers: a small form (tags, placements,
collections) or a JSON editor (decisions, rules; references picked by name).

Read the object fresh (edit, clone), fill the form (a collection's tags or offers listed from the
sandbox to pick from), show what will be sent (the body of a create, the JSON Patch lines of an
edit), send through the service helper (references checked first; an unknown answer settled by a
lookup or a re-read), say what happened, and list the library afresh.
"""

from __future__ import annotations

import json
from typing import Any

from offer_tui.safe_text import terminal_safe
from offer_tui.ui.flows.host import confirm_production
from offer_tui.ui.flows.offer_write import severity_of, text_of, title_of
from offer_tui.ui.widgets.offer_table import OfferRow

LibraryFlow = Any  # flows/library.py imports this module: no import back
JSON_KINDS = ("decisions", "rules")
# What a decision's references are picked from, by name (never typed as ids).
PICK_FROM = {"decisions": ("placements", "collections", "rules", "fallbacks")}


def starter(word: str) -> dict[str, Any]:
    """A new decision or rule starts from the shape Adobe's examples send."""
    if word == "rules":
        return {"name": "", "description": "",
                "condition": {"type": "PQL", "format": "pql/text", "value": ""}}
    return {"name": "", "status": "draft", "startDate": "", "endDate": "", "fallback": "",
            "criteria": [{"placements": [], "rank": {"priority": 0, "order": {"orderEvaluationType": "static"}},
                          "profileConstraint": {"profileConstraintType": "none"},
                          "optionSelection": {"filter": ""}}]}


async def reference_choices(library: Any, word: str) -> dict[str, list[tuple[str, str]]]:
    """Kind word -> (name, id) of everything ``word`` can refer to (one listing per kind)."""
    choices: dict[str, list[tuple[str, str]]] = {}
    for target in PICK_FROM.get(word, ()):
        items = await library.list_all(target)
        choices[target] = [(str(i.get("name") or ""), str(i["id"])) for i in items if isinstance(i.get("id"), str)]
    return choices


async def object_form(flow: LibraryFlow, word: str, mode: str, row: OfferRow | None) -> None:
    from offer_tui.api import ApiError
    from offer_tui.api.library import Library
    from offer_tui.model.kinds import kind
    from offer_tui.model import strip_server_fields
    from offer_tui.model.patch import make_edit_patch, patch_lines
    from offer_tui.service import library_view
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.object_form import ObjectFormScreen

    host = flow.host
    k = kind(word)
    title = f"{mode.capitalize()} {k.singular}"
    try:
        client = await host.acquire_client()
        library = Library(client)
        before = await library.get(word, row.offer_id) if mode != "new" and row is not None else None
        tags = await library.list_all("tags") if word == "collections" else []
        offers = await library.list_all("offers") if word == "collections" else []
    except ApiError as error:
        host.notify(f"Could not read what the form needs: {terminal_safe(str(error), limit=400)}", title=title,
                    severity="error", timeout=10)
        return
    start = strip_server_fields(before)[0] if before is not None and mode == "clone" else before
    if word in JSON_KINDS:
        from offer_tui.ui.screens.json_editor import JsonEditorScreen

        try:
            choices = await reference_choices(library, word)
        except ApiError as error:
            host.notify(f"Could not list what a {k.singular} refers to: {terminal_safe(str(error), limit=400)}",
                        title=title, severity="error", timeout=10)
            return
        body = strip_server_fields(before)[0] if before is not None else starter(word)
        if mode == "clone":
            body["name"] = f"{body.get('name') or ''} (copy)"
            if k.statuses:
                body["status"] = k.statuses[0]  # a copy starts as a draft
        label = {"new": f"New {k.title}", "edit": f"Edit the {k.title} “{terminal_safe(before.get('name') if before else '', limit=60, one_line=True)}”",
                 "clone": f"Clone of the {k.title} “{terminal_safe(before.get('name') if before else '', limit=60, one_line=True)}”"}[mode]
        # An edit's patch is made against the object as read, server fields left out on both sides.
        doc = await host.push_screen_wait(JsonEditorScreen(word, label, body, choices))
    else:
        doc = await host.push_screen_wait(ObjectFormScreen(word, mode, start, tags=tags, offers=offers))
    if doc is None:
        return
    if mode == "edit" and before is not None:
        ops = make_edit_patch(before, doc)
        if not ops:
            host.notify("Nothing to send: the form matches what the server holds.", title=title)
            return
        shown = "\n".join([f"PATCH {row.offer_id} (etag {terminal_safe(before.get('etag'), limit=20)})"]
                          + [f"  {line}" for line in patch_lines(ops, before)])
    else:
        ops = []
        shown = f"POST {k.path}\n" + terminal_safe(json.dumps(doc, indent=2, ensure_ascii=False), limit=4000)
    if not await host.push_screen_wait(ConfirmScreen(f"{title}: send this?", shown, "send it", "send nothing")):
        return
    if not await confirm_production(host, f"{mode} this {k.singular}"):
        return
    if mode == "edit" and before is not None:
        outcome = await library_view.patch(client, word, row.offer_id, before=before, ops=ops)
    else:
        outcome = await library_view.create(client, word, doc)
    flow.last_outcome = outcome
    host.notify(text_of(outcome), title=f"{title}: {title_of(outcome)}", severity=severity_of(outcome),
                timeout=10 if outcome.verdict == "done" else 30)
    if outcome.happened:
        flow.after_writes([])
