"""Actions on the marked offers (approve, archive, delete) and deleting an object of another kind.

One confirmation names the count and every object; then each write goes through the service
(offers.patch / offers.delete / library_view.delete, whose outcomes settle an unknown answer by
reading again), and one line per object says what happened. The library is refreshed after,
since these are writes of our own.
"""

from __future__ import annotations

from typing import Any

from offer_tui.safe_text import terminal_safe
from offer_tui.ui.flows.host import confirm_production
from offer_tui.ui.flows.offer_write import text_of, title_of
from offer_tui.ui.widgets.offer_table import OfferRow, short_id

# ``flow`` below is the app's LibraryFlow (not imported: flows/library.py imports this module).
LibraryFlow = Any

MARKS = {"done": "✓", "refused": "✗", "unknown": "?"}


def _name(row: OfferRow, doc: dict[str, Any] | None = None) -> str:
    name = (doc or {}).get("name") if doc else row.name
    return terminal_safe(name or row.offer_id, limit=80, one_line=True)


def outcome_line(outcome: Any, name: str, offer_id: str, done: str) -> str:
    mark = MARKS.get(outcome.verdict, "?")
    what = done if outcome.verdict == "done" or outcome.happened else title_of(outcome)
    line = f"{mark} “{name}” {short_id(offer_id)}: {what}"
    if outcome.verdict != "done":
        line += " — " + text_of(outcome).replace("\n", " ")
    return line


async def act_on_many(flow: LibraryFlow, action: str, rows: list[OfferRow]) -> list[str]:
    """Approve, archive or delete every row (one confirmation), then one line per outcome."""
    from offer_tui.service import offers
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.confirm_delete import TypedConfirmScreen
    from offer_tui.ui.screens.outcome_list import OutcomeListScreen

    host = flow.host
    title = action.capitalize()
    status = {"approve": "approved", "archive": "archived"}.get(action)
    fresh: list[tuple[OfferRow, dict[str, Any] | None]] = []
    for row in rows:
        fresh.append((row, await flow.fetch(row.offer_id, row.offer_type or "personalized", title)))
    readable = [(row, doc) for row, doc in fresh if doc is not None]
    lines = [f"✗ “{_name(row)}” {short_id(row.offer_id)}: could not be read; left alone"
             for row, doc in fresh if doc is None]
    todo = []
    for row, doc in readable:
        if status is not None and not offers.status_ops(doc, status):
            lines.append(f"· “{_name(row, doc)}” {short_id(row.offer_id)}: already {status}; nothing sent")
        else:
            todo.append((row, doc))
    if not todo:
        if lines:
            await host.push_screen_wait(OutcomeListScreen(f"{title}: nothing to send", lines))
        return lines
    names = [f"  “{_name(row, doc)}” {short_id(row.offer_id)} ({terminal_safe(doc.get('status'), limit=20)})"
             for row, doc in todo]
    count = f"{len(todo)} offer{'s' if len(todo) != 1 else ''}"
    if action == "delete":
        answer = await host.push_screen_wait(TypedConfirmScreen(
            f"Delete {count}?", names + ["", "This cannot be undone."], str(len(todo)),
            f"Type {len(todo)} (the number of offers) to delete them:"))
        if answer is None:
            return []
    else:
        question = "\n".join(names + ([""] + lines if lines else []))
        if not await host.push_screen_wait(ConfirmScreen(f"{title} {count}?", question,
                                                         f"send {len(todo)} patch(es), one per offer",
                                                         "send nothing")):
            return []
    if not await confirm_production(host, f"{action} {count}"):
        return []
    client = await host.acquire_client()
    done_ids = []
    for row, doc in todo:
        offer_type = row.offer_type or "personalized"
        if action == "delete":
            outcome = await offers.delete(client, row.offer_id, offer_type)
            lines.append(outcome_line(outcome, _name(row, doc), row.offer_id, "deleted"))
        else:
            ops = offers.status_ops(doc, status)
            outcome = await offers.patch(client, row.offer_id, offer_type, before=doc, ops=ops)
            lines.append(outcome_line(outcome, _name(row, doc), row.offer_id, f"now {status}"))
        flow.last_outcome = outcome
        if outcome.happened:
            done_ids.append(row.offer_id)
    flow.after_writes(done_ids)
    ok = len(done_ids)
    await host.push_screen_wait(OutcomeListScreen(f"{title}: {ok} of {len(todo)} done", lines))
    return lines


async def delete_object(flow: LibraryFlow, row: OfferRow) -> None:
    """Delete one object of a kind other than offers: what uses it is listed, and refused unless forced."""
    from offer_tui.api import ApiError
    from offer_tui.model.kinds import kind
    from offer_tui.service import library_view
    from offer_tui.ui.screens.confirm_delete import TypedConfirmScreen

    host = flow.host
    k = kind(row.kind)
    try:
        client = await host.acquire_client()
        opened = await library_view.open_object(client, row.kind, row.offer_id)
    except ApiError as error:
        host.notify(f"Could not read {row.offer_id}: {terminal_safe(str(error), limit=400)}", title="Delete",
                    severity="error", timeout=10)
        return
    name = terminal_safe(opened.obj.get("name") or "", limit=120, one_line=True)
    users = library_view.users_lines(opened.users)
    answer = await host.push_screen_wait(TypedConfirmScreen(
        f"Delete the {k.title} “{name}”?", [row.offer_id, "This cannot be undone."], name or row.offer_id,
        f"Type the {k.singular}'s {'name' if name else 'id'} to delete it:", users=users))
    if answer is None:
        return
    if not await confirm_production(host, f"delete this {k.singular}"):
        return
    outcome = await library_view.delete(client, row.kind, row.offer_id, force=answer == "force", users=opened.users)
    flow.last_outcome = outcome
    if outcome.happened:
        host.notify(f"Deleted the {k.singular} “{name}” ({row.offer_id}).", title="Delete")
        flow.object_deleted(row.offer_id)
    else:
        flow._report("Delete", outcome)


def tag_ops(offer: dict[str, Any], tag_id: str, mode: str) -> list[dict[str, Any]]:
    """The PATCH that adds or removes one tag ([] when there is nothing to do)."""
    from offer_tui.model.patch import make_edit_patch

    tags = [t for t in offer.get("tags") or [] if isinstance(t, str)]
    if mode == "add" and tag_id not in tags:
        wanted = tags + [tag_id]
    elif mode == "remove" and tag_id in tags:
        wanted = [t for t in tags if t != tag_id]
    else:
        return []
    return make_edit_patch(offer, {**offer, "tags": wanted})


async def tag_many(flow: LibraryFlow, rows: list[OfferRow]) -> list[str]:
    """`T`: pick a tag, show one PATCH per offer, send them, one line per outcome."""
    from offer_tui.api import ApiError
    from offer_tui.api.library import Library
    from offer_tui.service import offers
    from offer_tui.ui.screens.confirm import ConfirmScreen
    from offer_tui.ui.screens.outcome_list import OutcomeListScreen
    from offer_tui.ui.screens.tag_picker import TagPickerScreen

    host = flow.host
    docs = []
    for row in rows:
        doc = await flow.fetch(row.offer_id, row.offer_type or "personalized", "Tag")
        if doc is not None:
            docs.append((row, doc))
    if not docs:
        return []
    try:
        client = await host.acquire_client()
        tags = await Library(client).list_all("tags")
    except ApiError as error:
        host.notify(f"Could not list the tags: {terminal_safe(str(error), limit=400)}", title="Tag",
                    severity="error", timeout=10)
        return []
    if not tags:
        host.notify("No tags in this sandbox yet.", title="Tag")
        return []
    picked = await host.push_screen_wait(TagPickerScreen(tags, [doc for _, doc in docs]))
    if picked is None:
        return []
    tag_id, tag_name, mode = picked
    todo = [(row, doc, tag_ops(doc, tag_id, mode)) for row, doc in docs]
    todo = [item for item in todo if item[2]]
    if not todo:
        return []
    shown = []
    for row, doc, ops in todo:
        shown.append(f"PATCH “{_name(row, doc)}” {short_id(row.offer_id)}")
        change = f"tag “{tag_name}” {'added' if mode == 'add' else 'removed'}"
        shown.extend(f"  {op['op']} {op['path']} ({change})" for op in ops)
    verb = "Add" if mode == "add" else "Remove"
    count = f"{len(todo)} offer{'s' if len(todo) != 1 else ''}"
    if not await host.push_screen_wait(ConfirmScreen(f"{verb} the tag “{tag_name}” {'to' if mode == 'add' else 'from'} "
                                                     f"{count}?", "\n".join(shown),
                                                     f"send {len(todo)} patch(es), one per offer", "send nothing")):
        return []
    if not await confirm_production(host, f"tag {count}"):
        return []
    lines, done_ids = [], []
    for row, doc, ops in todo:
        outcome = await offers.patch(client, row.offer_id, row.offer_type or "personalized", before=doc, ops=ops)
        flow.last_outcome = outcome
        lines.append(outcome_line(outcome, _name(row, doc), row.offer_id,
                                  f"tag “{tag_name}” {'added' if mode == 'add' else 'removed'}"))
        if outcome.happened:
            done_ids.append(row.offer_id)
    flow.after_writes([])  # the marks stay: tagging is often followed by another action on them
    await host.push_screen_wait(OutcomeListScreen(f"{verb} tag: {len(done_ids)} of {len(todo)} done", lines))
    return lines
