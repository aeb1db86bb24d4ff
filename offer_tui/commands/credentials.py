"""Handlers for `offer-tui profile add|list|show|remove|use` and `offer-tui login`.

Plain functions: an argparse namespace in, an exit code out, text to the given streams. The
parsers are built by :func:`add_profile_parser` and :func:`add_login_parser`; ``offer_tui.cli``
only has to call them and route ``args.command in ("profile", "login")`` to :func:`run`.
No Textual here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from offer_tui.credentials.detect import KeyringStatus
from offer_tui.credentials.errors import CredentialError
from offer_tui.credentials.profiles import Profile, ProfileStore, is_production
from offer_tui.credentials.resolve import Resolution, mask, resolve_settings
from offer_tui.credentials.store import ACCESS_TOKEN, InsecureFileStore
from offer_tui.credentials.tokeninfo import describe_remaining

EXIT_OK = 0
EXIT_CREDENTIALS = 1  # a profile / keyring / secret problem (the message says what and how out)
EXIT_API = 3  # IMS refused or could not be reached (same code as offer_tui.cli's API errors)
EXIT_LOCAL = 6  # local state missing or unreadable (offer_tui.exit_codes.EXIT_LOCAL)
ENV_SECRET = "OFFER_TUI_CLIENT_SECRET"

from .credentials_context import _Context  # noqa: E402,F401  (re-exported: tests build one)
from .credentials_parsers import add_login_parser, add_profile_parser  # noqa: E402,F401  (re-exported)


def run(args: argparse.Namespace, **context: Any) -> int:
    """Dispatch `profile ...` and `login`. ``context``: stdin, stdout, stderr, prompt, environ, ..."""
    ctx = _Context(**context)
    if args.command == "login":
        return login(args, ctx)
    handler = {
        "add": profile_add,
        "list": profile_list,
        "show": profile_show,
        "remove": profile_remove,
        "use": profile_use,
    }[args.profile_command]
    return handler(args, ctx)


def _code(exc: CredentialError) -> int:
    """The exit code for a credentials failure: local state (unknown profile, unreadable
    profiles.json) has its own code, 6; the rest keep EXIT_CREDENTIALS."""
    return getattr(exc, "exit_code", EXIT_CREDENTIALS)


def _ctx(ctx: _Context | None, context: dict[str, Any]) -> _Context:
    return ctx if ctx is not None else _Context(**context)


# -- profile add -----------------------------------------------------------------------------

NO_TERMINAL_HINT = (
    "there is no terminal to ask for the client secret: pass it on stdin with --secret-stdin "
    "(e.g. `--secret-stdin < secret.txt`) or set OFFER_TUI_CLIENT_SECRET"
)


LOGIN_NO_TERMINAL_HINT = (
    "there is no terminal to ask for the client secret: set OFFER_TUI_CLIENT_SECRET, or store it "
    "once with `offer-tui profile add NAME ... --secret-stdin`"
)


class _NoSecret(Exception):
    pass


def _read_secret(args: argparse.Namespace, ctx: _Context) -> tuple[str, str]:
    """The secret and where it came from: --secret-stdin > OFFER_TUI_CLIENT_SECRET > a prompt on a
    terminal. Never prompts without a terminal (raises _NoSecret with the way out)."""
    if getattr(args, "secret_stdin", False):
        return ctx.stdin.read().rstrip("\r\n").strip(), "stdin"
    from_env = (ctx.environ.get(ENV_SECRET) or "").strip()
    if from_env:
        return from_env, ENV_SECRET
    if not ctx.can_prompt():
        raise _NoSecret(NO_TERMINAL_HINT)
    return (ctx.prompt(f"Client secret for profile {args.name}: ") or "").strip(), "prompt"


def profile_add(args: argparse.Namespace, ctx: _Context | None = None, **context: Any) -> int:
    ctx = _ctx(ctx, context)
    profiles = ProfileStore(environ=ctx.environ)
    try:
        profile = Profile(
            name=args.name,
            client_id=args.client_id.strip(),
            ims_org=args.ims_org.strip(),
            sandbox=args.sandbox.strip(),
            **{
                key: value.strip()
                for key in ("endpoint", "ims_url", "scopes", "decisions_endpoint")
                if (value := getattr(args, key, None)) and value.strip()
            },
            production=bool(getattr(args, "production", False)),
        )
        previous = profiles.get(profile.name) if profiles.exists(profile.name) else None
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)
    existed = previous is not None
    ctx.warn_profiles(profiles)

    status, store = ctx.open_store(bool(getattr(args, "insecure_storage", False)))
    if not store.persistent:
        # Keep the non-secret part: with it, OFFER_TUI_CLIENT_SECRET or a session prompt is enough.
        try:
            profiles.add(profile, replace_existing=True)
        except CredentialError as exc:
            ctx.err(f"offer-tui: {exc}")
            return _code(exc)
        ctx.report_backup(profiles)
        ctx.err(
            f"offer-tui: the client secret of profile {profile.name!r} was NOT stored: "
            f"no secure keyring is usable ({status.status}: {status.backend_name}).\n"
            f"{status.message()}\n"
            f"The profile's other settings were saved, so the wizard (`offer-tui --profile {profile.name}`)\n"
            f"asks for the secret once per session, and for scripts (typed, not kept in shell history)\n"
            f"  read -rs OFFER_TUI_CLIENT_SECRET && export OFFER_TUI_CLIENT_SECRET\n"
            f"  offer-tui submit --profile {profile.name} FILE\n"
            f"works; or run `offer-tui profile add {profile.name} ... --insecure-storage`."
        )
        return EXIT_CREDENTIALS

    try:
        secret, source = _read_secret(args, ctx)
    except _NoSecret as exc:
        ctx.err(f"offer-tui: {exc}; nothing was saved")
        return EXIT_CREDENTIALS
    if not secret:
        ctx.err("offer-tui: no client secret was given; nothing was saved")
        return EXIT_CREDENTIALS
    # The profile first: when it cannot be written (read-only or full config folder) nothing has
    # reached the keyring yet, so no secret is left behind without a profile.
    try:
        profiles.add(profile, replace_existing=True)
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}; the client secret was not stored")
        return _code(exc)
    ctx.report_backup(profiles)
    try:
        store.set_client_secret(profile.name, secret)
    except CredentialError as exc:
        _undo_profile(profiles, profile.name, previous)
        ctx.err(f"offer-tui: {exc}; the profile was left as it was")
        return _code(exc)
    try:
        store.delete(profile.name, ACCESS_TOKEN)  # a token for the old credential is useless
    except CredentialError:
        pass
    if source == ENV_SECRET:
        ctx.err(f"offer-tui: the client secret was taken from {ENV_SECRET}")

    verb = "Updated" if existed else "Saved"
    ctx.out(f"{verb} profile {profile.name} (sandbox {profile.sandbox}); client secret in {store.describe()}.")
    if profiles.default_name == profile.name:
        ctx.out(f"{profile.name} is the default profile.")
    if is_production(profile):
        ctx.out("This is a production profile: submitting asks you to type the sandbox name.")
    return EXIT_OK


def _undo_profile(profiles: ProfileStore, name: str, previous: Profile | None) -> None:
    """Put profiles.json back as it was before a failed add (best effort)."""
    try:
        if previous is None:
            profiles.remove(name)
        else:
            profiles.add(previous, replace_existing=True)
    except CredentialError:
        pass


# -- profile list / show / use / remove -----------------------------------------------------

def profile_list(args: argparse.Namespace, ctx: _Context | None = None, **context: Any) -> int:
    ctx = _ctx(ctx, context)
    profiles = ProfileStore(environ=ctx.environ)
    unreadable = profiles.unreadable()
    if unreadable is not None:  # "No profiles yet" would be a guess: the file may hold many
        ctx.err(f"offer-tui: error: the profiles could not be read: {unreadable}")
        ctx.err("offer-tui: hint: fix the file's permissions (or move it away), then run this again")
        return EXIT_LOCAL
    ctx.warn_profiles(profiles)
    try:
        items = profiles.list()
        default = profiles.default_name
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)
    if getattr(args, "json", False):
        rows = [dict(p.to_json(), name=p.name, default=p.name == default, counts_as_production=is_production(p)) for p in items]
        ctx.out(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not items:
        ctx.out("No profiles yet. Add one with:")
        ctx.out("  offer-tui profile add NAME --client-id ID --ims-org ORG --sandbox SANDBOX")
        return EXIT_OK
    width = max(len(p.name) for p in items)
    for p in items:
        marker = "*" if p.name == default else " "
        prod = "  [production]" if is_production(p) else ""
        ctx.out(f"{marker} {p.name:<{width}}  sandbox {p.sandbox}  org {p.ims_org}{prod}")
    return EXIT_OK


def describe_resolution(resolution: Resolution, status: KeyringStatus | None = None) -> list[str]:
    """The lines `profile show` prints (also handy for the UI or a debug log): no secret in them."""
    lines = []
    if resolution.profile is not None:
        p = resolution.profile
        lines.append(
            f"Profile {p.name} (chosen by {resolution.profile_source}; "
            f"production: {'yes' if is_production(p) else 'no'})"
        )
    else:
        lines.append("No profile (values from flags, environment or defaults)")
    rows = resolution.describe()
    width = max(len(label) for label, _, _ in rows)
    value_width = min(60, max(len(shown) for _, shown, _ in rows))
    for label, shown, source in rows:
        lines.append(f"  {label:<{width}}  {shown:<{value_width}}  ({source})")
    try:
        cached = resolution.store.get_token(resolution.cache_key)
    except CredentialError as exc:
        lines.append(f"  Cached token: could not be read ({exc})")
    else:
        if cached is not None:
            lines.append(
                f"  Cached token: {mask(cached.token)} {cached.origin}, valid for "
                f"{describe_remaining(cached.remaining())} ({resolution.store.source_label})"
            )
        else:
            lines.append("  Cached token: none")
    if status is not None:
        lines.append(f"Keyring: {status.status} - {status.explanation}")
    for note in resolution.notes:
        lines.append(f"Note: {note}")
    return lines


def profile_show(args: argparse.Namespace, ctx: _Context | None = None, **context: Any) -> int:
    ctx = _ctx(ctx, context)
    name = getattr(args, "name", None) or getattr(args, "profile", None)
    status, store = ctx.open_store()
    try:
        resolution = resolve_settings(
            profile_flag=name, environ=ctx.environ, profiles=ProfileStore(environ=ctx.environ),
            store=store, require_credentials=False,
        )
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)
    for line in describe_resolution(resolution, status):
        ctx.out(line)
    return EXIT_OK


def profile_use(args: argparse.Namespace, ctx: _Context | None = None, **context: Any) -> int:
    ctx = _ctx(ctx, context)
    profiles = ProfileStore(environ=ctx.environ)
    ctx.warn_profiles(profiles)
    try:
        profiles.use(args.name)
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)
    ctx.report_backup(profiles)
    ctx.out(f"{args.name} is now the default profile.")
    return EXIT_OK


def profile_remove(args: argparse.Namespace, ctx: _Context | None = None, **context: Any) -> int:
    ctx = _ctx(ctx, context)
    profiles = ProfileStore(environ=ctx.environ)
    ctx.warn_profiles(profiles)
    try:
        profiles.get(args.name)
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)
    status, store = ctx.open_store()
    stores = [store]
    file_store = InsecureFileStore(environ=ctx.environ)
    if file_store.exists() and not isinstance(store, InsecureFileStore):
        stores.append(file_store)
    problems = []
    for each in stores:
        try:
            each.delete_profile(args.name)
        except CredentialError as exc:
            problems.append(str(exc))
    try:
        profiles.remove(args.name)
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)
    ctx.report_backup(profiles)
    ctx.out(f"Removed profile {args.name}.")
    if not status.secure:
        ctx.err(
            f"offer-tui: the keyring is {status.status} ({status.explanation}); a secret stored there "
            f"earlier for {args.name!r} could not be removed."
        )
    for problem in problems:
        ctx.err(f"offer-tui: {problem}")
    default = profiles.default_name
    if default:
        ctx.out(f"The default profile is {default}.")
    elif profiles.names():
        ctx.out("There is no default profile now: pick one with `offer-tui profile use NAME`.")
    return EXIT_OK


# -- login -----------------------------------------------------------------------------------

def login(args: argparse.Namespace, ctx: _Context | None = None, **context: Any) -> int:
    from offer_tui.api.errors import ApiError

    from offer_tui.credentials.tokens import KeyringTokenProvider

    ctx = _ctx(ctx, context)
    status, store = ctx.open_store(bool(getattr(args, "insecure_storage", False)))
    interactive = ctx.can_prompt()
    try:
        resolution = resolve_settings(
            profile_flag=getattr(args, "profile", None), environ=ctx.environ,
            profiles=ProfileStore(environ=ctx.environ), store=store, prompt=ctx.prompt if interactive else None,
        )
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        if not interactive:
            ctx.err(f"offer-tui: {LOGIN_NO_TERMINAL_HINT}")
        if not status.secure:
            ctx.err(status.message())
        return _code(exc)
    for note in resolution.notes:
        ctx.err(f"offer-tui: warning: {note}")

    options: dict[str, Any] = {}
    if ctx.transport is not None:
        options["transport"] = ctx.transport
    if isinstance(getattr(args, "timeout", None), (int, float)):
        options["timeout"] = args.timeout  # the mint's whole budget (--timeout / OFFER_TUI_TIMEOUT)
    provider = KeyringTokenProvider.from_resolution(resolution, **options)
    before = provider.mints
    try:
        asyncio.run(provider(force_refresh=bool(getattr(args, "force", False))))
    except ApiError as exc:
        ctx.err(f"offer-tui: {exc}")
        return EXIT_API
    except CredentialError as exc:
        ctx.err(f"offer-tui: {exc}")
        return _code(exc)

    token = provider.current
    assert token is not None
    who = f"profile {resolution.profile_name}" if resolution.profile else f"client {resolution.settings.client_id}"
    validity = describe_remaining(token.remaining())
    if provider.mints > before:
        where = (
            f"cached in {store.describe()}" if provider.persisted and store.persistent
            else "kept in memory only (it is not reused by the next run)"
        )
        ctx.out(f"Logged in ({who}, sandbox {resolution.settings.sandbox}): new token valid for {validity}, {where}.")
    elif token.origin == "pasted":
        ctx.out(f"Using the pasted access token ({who}): valid for {validity}.")
    else:
        ctx.out(f"Logged in ({who}, sandbox {resolution.settings.sandbox}): cached token still valid for {validity}.")
    for note in provider.notes:
        ctx.err(f"offer-tui: {note}")
    return EXIT_OK
