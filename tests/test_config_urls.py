"""Issue 7, item 20: a malformed endpoint or IMS URL is a clear error where it is read, never a traceback."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Static

from offer_tui.api import ApiError, OfferClient, StaticTokenProvider
from offer_tui.api.config import Settings, url_problem
from offer_tui.api.ims import ClientCredentialsProvider
from offer_tui.cli import EXIT_API, main
from offer_tui.demo import demo_settings
from offer_tui.ui.steps.representations import RepresentationsStep
from test_ui_helpers import SIZE_WIDE, make_app, settle

BAD = [
    ("http://[::1", "cannot be parsed"),
    ("http://127.0.0.1:99999/x", "cannot be parsed"),
    ("ftp://example.com/x", "must start with https://"),
    ("platform.adobe.io/data/core/dps", "must start with https://"),
    ("https:///data/core/dps", "no host name"),
    ("https://exa mple.com", "spaces"),
]


@pytest.mark.parametrize(("url", "why"), BAD)
def test_url_problem_says_what_is_wrong(url, why):
    assert why in url_problem(url)


@pytest.mark.parametrize("url", ["https://platform.adobe.io/data/core/dps", "http://127.0.0.1:8080/data/core/dps",
                                 "http://[::1]:8080/x", "https://ims-na1.adobelogin.com/ims/token/v3"])
def test_good_urls_pass(url):
    assert url_problem(url) is None


@pytest.mark.parametrize("variable", ["OFFER_TUI_ENDPOINT", "OFFER_TUI_IMS_URL"])
@pytest.mark.parametrize(("url", "why"), BAD[:3])
def test_cli_names_the_variable_and_exits_without_a_traceback(capsys, monkeypatch, variable, url, why):
    for name, value in {"OFFER_TUI_CLIENT_ID": "id", "OFFER_TUI_CLIENT_SECRET": "secret",
                        "OFFER_TUI_IMS_ORG": "ORG@AdobeOrg", "OFFER_TUI_SANDBOX": "dev", variable: url}.items():
        monkeypatch.setenv(name, value)
    assert main(["rules"]) == EXIT_API
    err = capsys.readouterr().err
    assert err.startswith("error: ") and variable in err and why in err and "Traceback" not in err
    assert len(err.splitlines()) == 2  # the error and the hint


def test_client_and_token_provider_refuse_a_bad_url_themselves():
    with pytest.raises(ApiError) as info:
        OfferClient("http://[::1", api_key="k", ims_org="o", sandbox="s", token_provider=StaticTokenProvider("t"))
    assert info.value.code == "bad_url" and "OFFER_TUI_ENDPOINT" in info.value.hint
    with pytest.raises(ApiError) as info:
        ClientCredentialsProvider(Settings(ims_url="http://[::1", client_id="i", client_secret="s"))
    assert info.value.code == "bad_url" and "OFFER_TUI_IMS_URL" in info.value.hint


async def test_the_wizard_shows_the_bad_endpoint_in_place(server, tmp_path):
    settings = dataclasses.replace(demo_settings(server), endpoint="http://[::1")
    app = make_app(settings, tmp_path)
    async with app.run_test(size=SIZE_WIDE) as pilot:
        await settle(pilot)
        pilot.app.wizard.go_to("representations")
        await settle(pilot)
        picker = pilot.app.wizard.query_one(RepresentationsStep).editors()[0].picker
        status = str(picker.query_one(".catalog-status", Static).render())
        assert "not a valid URL" in status and "OFFER_TUI_ENDPOINT" in status
    assert server.received == []
