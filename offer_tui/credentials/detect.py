"""Classify the active ``keyring`` backend before trusting it with a secret.

The traps (see design.md): on a headless host keyring falls back to ``fail`` (every call raises),
``keyrings.alt`` silently turns that into a plaintext file, its encrypted variant calls
``getpass()`` on the terminal Textual owns, ``null`` accepts a save and throws it away, and a locked
Secret Service can hang until someone answers a desktop prompt. So detection runs the keyring in a
daemon thread with a timeout (3 s, like gh) and never lets a suspect backend near a secret.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from offer_tui.log import swallowed

SERVICE = "offer-tui"
PROBE_USERNAME = "__offer-tui-probe__"
DEFAULT_TIMEOUT = 3.0

# A backend class can set this to True to be treated as a recommended (secure) keyring whatever
# its priority. Only the test suite's in-memory backend does: it has a negative priority on
# purpose, so keyring never picks it by itself.
TRUST_MARKER = "OFFER_TUI_TRUSTED_FOR_TESTS"

Status = Literal["secure", "insecure", "disabled", "unavailable"]
T = TypeVar("T")

HEADLESS_KEYRING_RECIPE = (
    "read -rs PASS && export PASS && "
    "dbus-run-session -- sh -c "
    "'echo -n \"$PASS\" | gnome-keyring-daemon --unlock >/dev/null; unset PASS; exec offer-tui'"
)

REMEDIES: tuple[str, ...] = (
    "Session only: enter the client secret when asked; it stays in memory until offer-tui exits.",
    "Environment: export OFFER_TUI_CLIENT_ID, OFFER_TUI_CLIENT_SECRET (or OFFER_TUI_ACCESS_TOKEN), "
    "OFFER_TUI_IMS_ORG and OFFER_TUI_SANDBOX before starting offer-tui.",
    "Headless keyring: install gnome-keyring and the Python package secretstorage, then run "
    f"`{HEADLESS_KEYRING_RECIPE}`.",
    "Plaintext file: pass --insecure-storage to keep secrets in a 0600 file in the config "
    "directory (offer-tui warns about it at every start).",
)


class KeyringTimeout(Exception):
    """The keyring did not answer in time (the call is left running in a daemon thread)."""


def call_with_timeout(fn: Callable[[], T], timeout: float | None) -> T:
    """Run ``fn`` in a daemon thread and wait at most ``timeout`` seconds.

    A daemon thread because a hung D-Bus call cannot be cancelled: we abandon it, and it must not
    keep the process alive at exit. ``timeout=None`` waits for ever (still off the caller's thread
    only if the caller is itself a worker).
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="offer-tui-keyring", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise KeyringTimeout(f"no answer within {timeout:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@dataclass(frozen=True)
class KeyringStatus:
    status: Status
    backend_name: str
    explanation: str
    remedies: tuple[str, ...] = ()
    # The backend instance to use when status is "secure" (for a chainer: its secure member).
    backend: KeyringBackend | None = field(default=None, repr=False, compare=False)

    @property
    def secure(self) -> bool:
        return self.status == "secure"

    def message(self) -> str:
        """Explanation plus the ways out, as plain text for the CLI and the UI."""
        if self.secure:
            return self.explanation
        lines = [self.explanation, "Ways to proceed:"]
        lines += [f"  - {remedy}" for remedy in self.remedies]
        return "\n".join(lines)


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _priority(backend: KeyringBackend) -> float:
    return float(type(backend).priority)


def _is_alt(backend: object) -> bool:
    return type(backend).__module__.startswith("keyrings.alt")


def _is_plaintext(backend: object) -> bool:
    text = backend_name(backend).lower()
    return "plaintext" in text or "plain_text" in text


def _status(status: Status, backend: object | None, explanation: str, chosen: KeyringBackend | None = None) -> KeyringStatus:
    name = backend_name(backend) if backend is not None else "(none)"
    return KeyringStatus(
        status=status,
        backend_name=name,
        explanation=explanation,
        remedies=() if status == "secure" else REMEDIES,
        backend=chosen,
    )


def _pick_from_chain(chain: KeyringBackend) -> KeyringBackend | None:
    """The first recommended, non-keyrings.alt member of a ChainerBackend, used directly.

    Going through the chainer would let a read fall through to later members, and a
    keyrings.alt EncryptedKeyring in the chain would then prompt with getpass().
    """
    for member in getattr(type(chain), "backends", ()):
        if _is_trusted(member):
            return member
    return None


def _is_trusted(backend: KeyringBackend) -> bool:
    if getattr(type(backend), TRUST_MARKER, False):
        return True
    if _is_alt(backend) or _is_plaintext(backend):
        return False
    try:
        return _priority(backend) >= 1
    except Exception:  # noqa: BLE001 - a backend signals "not viable here" by raising
        swallowed("asking a keyring backend for its priority")
        return False


def _classify(backend: KeyringBackend | None, progress: dict[str, Any]) -> KeyringStatus:
    """Runs in the detection thread: every keyring call here is under the caller's one deadline."""
    from keyring.backends import chainer, fail, null

    if backend is None:
        backend = keyring.get_keyring()
    progress["backend"] = backend

    if isinstance(backend, null.Keyring):
        return _status(
            "disabled", backend,
            "The keyring is disabled (keyring's null backend): it would silently throw away a saved secret.",
        )
    if isinstance(backend, fail.Keyring):
        return _status(
            "unavailable", backend,
            "No OS keyring is available here (usual on SSH and headless hosts).",
        )

    chosen = backend
    if isinstance(backend, chainer.ChainerBackend):
        chosen = _pick_from_chain(backend)
        if chosen is None:
            return _status(
                "insecure", backend,
                "No recommended keyring is among the chained backends; offer-tui will not use them.",
            )

    # Decide on alt / plaintext BEFORE any call into the backend: keyrings.alt's encrypted
    # backends call getpass() on the terminal on first use, which would fight Textual for the tty.
    # We therefore never call into them, not even for the probe, and never use them without opt-in
    # (and even then we use our own 0600 file, not theirs).
    if _is_alt(chosen) or _is_plaintext(chosen):
        return _status(
            "insecure", chosen,
            f"The keyring backend {backend_name(chosen)} keeps secrets in a plain or weakly protected "
            "file; offer-tui does not store secrets there.",
        )
    if not getattr(type(chosen), TRUST_MARKER, False):
        try:
            priority = _priority(chosen)
        except Exception as exc:  # noqa: BLE001
            swallowed("asking the chosen keyring backend for its priority")
            return _status("unavailable", chosen, f"The keyring backend is not usable here ({type(exc).__name__}).")
        if priority < 1:
            return _status(
                "insecure", chosen,
                f"keyring does not recommend the backend {backend_name(chosen)} (priority {priority:g}).",
            )

    progress["backend"] = chosen
    progress["stage"] = "probe"
    try:
        chosen.get_password(SERVICE, PROBE_USERNAME)
    except keyring.errors.KeyringLocked:
        return _status("unavailable", chosen, "The keyring is locked and could not be unlocked.")
    except keyring.errors.NoKeyringError:
        return _status("unavailable", chosen, "No OS keyring is available here (usual on SSH and headless hosts).")
    except Exception as exc:  # noqa: BLE001 - any failure means "do not trust it"
        swallowed("probing the keyring with a test value")
        return _status("unavailable", chosen, f"The keyring failed when asked for a test value ({type(exc).__name__}).")

    return _status("secure", chosen, f"Secrets are kept in the OS keyring ({backend_name(chosen)}).", chosen)


def detect_keyring(backend: KeyringBackend | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> KeyringStatus:
    """Classify ``backend`` (default: keyring's active backend) as secure / insecure / disabled / unavailable.

    Blocks the calling thread for at most about ``timeout`` seconds in all (loading the backend
    and probing it share one deadline); the keyring itself only ever runs in a daemon thread.
    Never raises. Call it from a worker thread in the UI.
    """
    progress: dict[str, Any] = {"stage": "load", "backend": backend}
    try:
        return call_with_timeout(lambda: _classify(backend, progress), timeout)
    except KeyringTimeout:
        if progress["stage"] == "probe":
            explanation = (
                f"The keyring did not answer within {timeout:g} s (a locked Secret Service may be "
                "waiting for a desktop unlock prompt)."
            )
        else:
            explanation = f"The keyring did not answer within {timeout:g} s while loading its backend."
        return _status("unavailable", progress["backend"], explanation)
    except Exception as exc:  # noqa: BLE001 - detection must never crash the app
        swallowed("loading the keyring backend")
        return _status("unavailable", progress["backend"], f"The keyring could not be loaded ({type(exc).__name__}).")
