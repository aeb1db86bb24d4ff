"""The wizard with real credentials: profiles and keyring, the header badge, first run,
the production confirmation, and the plaintext-storage warning."""

from __future__ import annotations

from pathlib import Path


from offer_tui.credentials import KeyringStore, Profile, ProfileStore
from offer_tui.demo import DemoServer, demo_settings
from offer_tui.drafts import DraftStore
from offer_tui.ui.app import OfferTuiApp
from offer_tui.ui.screens.credentials import CredentialsScreen
from offer_tui.ui.screens.production import ProductionConfirmScreen
from offer_tui.ui.screens.success import SuccessScreen
from offer_tui.ui.widgets.profile_badge import ProfileBadge
from test_ui_helpers import SIZE_NARROW, SIZE_WIDE, settle

EXAMPLE = str(Path(__file__).parent.parent / "examples" / "personalized-offer.json")


def add_profile(server: DemoServer, name: str, *, production: bool) -> None:
    """What `offer-tui profile add` leaves behind: profiles.json plus the secret in the keyring."""
    settings = demo_settings(server)
    ProfileStore().add(Profile(name=name, client_id=settings.client_id, ims_org=settings.ims_org,
                               sandbox=settings.sandbox, endpoint=settings.endpoint, ims_url=settings.ims_url,
                               production=production))
    KeyringStore().set_client_secret(name, settings.client_secret)


def make_app(tmp_path: Path, **kwargs) -> OfferTuiApp:
    return OfferTuiApp(draft_store=DraftStore(tmp_path / "state"), config_directory=tmp_path / "config",
                       keyring_timeout=1.0, **kwargs)


async def wait_for_screen(pilot, cls, tries: int = 100) -> None:
    """Pause until `cls` is on top (bounded): a worker waiting on a modal never completes, so settle() cannot."""
    for _ in range(tries):
        if isinstance(pilot.app.screen, cls):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{cls.__name__} did not appear; on top: {type(pilot.app.screen).__name__}")


def posts(server: DemoServer) -> list[dict]:
    return [r for r in server.received if r["method"] == "POST" and r["path"].endswith("/offers")]


async def test_production_profile_needs_the_typed_sandbox_name(server, tmp_path):
    add_profile(server, "prod", production=True)
    app = make_app(tmp_path, from_file=EXAMPLE)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        badge = app.wizard.query_one(ProfileBadge)
        assert str(badge.render()) == "⚠ prod · demo-sandbox ✓" and badge.has_class("-production")

        await pilot.press("f9")
        await wait_for_screen(pilot, ProductionConfirmScreen)
        await pilot.press(*"prod", "enter")  # not the sandbox name: refused, stays open
        await pilot.pause(0.2)
        assert isinstance(app.screen, ProductionConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert posts(server) == [] and app.screen is app.wizard

        await pilot.press("f9")
        await wait_for_screen(pilot, ProductionConfirmScreen)
        await pilot.press(*"demo-sandbox", "enter")
        await wait_for_screen(pilot, SuccessScreen)
    assert len(posts(server)) == 1 and server.token_mints == 1  # the profile's secret came from the keyring


async def test_a_non_production_profile_submits_without_asking(server, tmp_path):
    add_profile(server, "dev", production=False)
    app = make_app(tmp_path, from_file=EXAMPLE)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert str(app.wizard.query_one(ProfileBadge).render()) == "dev · demo-sandbox ✓"
        await pilot.press("f9")
        await wait_for_screen(pilot, SuccessScreen)
        assert str(app.screen.query_one(ProfileBadge).render()) == "dev · demo-sandbox ✓"
    assert len(server.offers) == 1


async def test_first_run_without_profile_or_environment_opens_the_credentials_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.wizard  # the wizard is still there, nothing lost
        assert str(app.wizard.query_one(ProfileBadge).render()) == "no credentials"


async def test_f6_opens_credentials_and_the_demo_says_it_needs_none(server, tmp_path):
    add_profile(server, "dev", production=False)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        assert app.screen is app.wizard
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CredentialsScreen)

    demo = make_app(tmp_path, demo=True)
    notes: list[str] = []
    async with demo.run_test(size=SIZE_WIDE) as pilot:
        demo.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert demo.screen is demo.wizard and any("needs no credentials" in n for n in notes)


async def test_plaintext_storage_opt_in_warns_at_every_start(server, tmp_path, null_keyring):
    """--insecure-storage on a host whose keyring drops secrets: the prompted secret goes to the
    0600 file, the next start needs no prompt, and every start warns."""
    from offer_tui.ui.screens.secret_prompt import SecretPromptScreen

    settings = demo_settings(server)
    ProfileStore().add(Profile(name="jump", client_id=settings.client_id, ims_org=settings.ims_org,
                               sandbox=settings.sandbox, endpoint=settings.endpoint, ims_url=settings.ims_url))
    for run in range(2):
        app = make_app(tmp_path, insecure_storage=True, from_file=EXAMPLE)
        warnings: list[tuple[str, str]] = []
        app.notify = lambda message, **kw: warnings.append((kw.get("title", ""), message))  # type: ignore[method-assign]
        async with app.run_test(size=SIZE_WIDE) as pilot:
            if run == 0:
                await wait_for_screen(pilot, SecretPromptScreen)
                await pilot.press(*settings.client_secret, "enter")
            await wait_for_screen(pilot, type(app.wizard))
            await settle(pilot)
            assert app.connection.settings.client_secret == settings.client_secret
        assert any(title == "Insecure storage" and "plaintext" in text.lower() for title, text in warnings), warnings
    [secrets_file] = [p for p in tmp_path.rglob("secrets.json")]
    assert secrets_file.stat().st_mode & 0o777 == 0o600


async def test_a_profile_without_a_stored_secret_asks_once_and_keeps_it_in_memory(server, tmp_path, fail_keyring):
    """The jump host: no keyring, a profile on disk, the secret typed once per session."""
    from offer_tui.ui.screens.secret_prompt import SecretPromptScreen

    settings = demo_settings(server)
    ProfileStore().add(Profile(name="jump", client_id=settings.client_id, ims_org=settings.ims_org,
                               sandbox=settings.sandbox, endpoint=settings.endpoint, ims_url=settings.ims_url))
    app = make_app(tmp_path, from_file=EXAMPLE)
    async with app.run_test(size=SIZE_NARROW) as pilot:
        await wait_for_screen(pilot, SecretPromptScreen)
        assert any("in memory, this session only" in str(w.render()) for w in app.screen.query("Static"))
        await pilot.press(*settings.client_secret, "enter")
        await wait_for_screen(pilot, type(app.wizard))
        await settle(pilot)
        await pilot.press("f9")
        await wait_for_screen(pilot, SuccessScreen)
    assert len(server.offers) == 1
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert settings.client_secret.encode() not in path.read_bytes()
