"""The demo server over real loopback HTTP: documented errors, offers, paging, misbehaviour."""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from urllib.parse import quote

import httpx
import pytest

from offer_tui.demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_IMS_ORG,
    DEMO_SANDBOX,
    DemoServer,
    demo_settings,
    run_standalone,
)

pytestmark = pytest.mark.timeout(30)

DEFAULT_SCOPES = "openid,session,AdobeID,read_organizations,additional_info.projectedProductContext"
WEB_BANNER = "dps:offer-placement:1a2b3c4d5e6f7081"  # web / html
EMAIL_IMAGE = "dps:offer-placement:1a2b3c4d5e6f7086"  # email / imagelink
RECEIPT_FIELDS = {"etag", "createdBy", "lastModifiedBy", "id", "sandboxId", "createdDate", "lastModifiedDate",
                  "createdByClientId", "lastModifiedByClientId"}
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def offer(name: str = "Summer sale banner", placement: str = WEB_BANNER) -> dict:
    return {
        "name": name,
        "status": "draft",
        "representations": [{
            "channel": "https://ns.adobe.com/xdm/channel-types/web",
            "placement": placement,
            "components": [{"type": "html", "format": "text/html", "language": ["en-us"],
                            "content": "Hello You qualify for our Discount of 60%"}],
        }],
        "selectionConstraint": {"startDate": "2022-07-27T05:00:00.000+00:00",
                                "endDate": "2023-07-29T05:00:00.000+00:00", "profileConstraintType": "none"},
        "rank": {"priority": 0},
        "cappingConstraint": {},
        "x-unknown-field": {"kept": True},
    }


@pytest.fixture
def client(server):
    with httpx.Client(base_url=server.base_url, timeout=5) as c:
        yield c


@pytest.fixture
def headers(server):
    return {
        "Authorization": f"Bearer {server.issue_token()}",
        "x-api-key": DEMO_CLIENT_ID,
        "x-gw-ims-org-id": DEMO_IMS_ORG,
        "x-sandbox-name": DEMO_SANDBOX,
        "Accept": "*,application/json",
    }


def post_offer(client, headers, doc, offer_type="personalized"):
    return client.post("/offers", params={"offer-type": offer_type}, json=doc, headers=headers)


def ims_form(**overrides):
    form = {"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET, "scope": DEFAULT_SCOPES}
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


# -- IMS ---------------------------------------------------------------------------

def test_ims_issues_a_bearer_token_that_opens_the_api(server, client):
    reply = httpx.post(server.ims_url, data=ims_form(), timeout=5)
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 86399
    assert server.token_mints == 1
    api = client.get("/placements", headers={"Authorization": f"Bearer {body['access_token']}",
                                             "x-api-key": DEMO_CLIENT_ID, "x-gw-ims-org-id": DEMO_IMS_ORG,
                                             "x-sandbox-name": DEMO_SANDBOX})
    assert api.status_code == 200
    # The request log never keeps the secret.
    assert server.received[0]["form"]["client_secret"] == "***"
    assert DEMO_CLIENT_SECRET not in repr(server.received)


@pytest.mark.parametrize("override", [{"client_secret": "wrong"}, {"client_id": "someone-else"}])
def test_ims_rejects_wrong_credentials_with_invalid_client(server, override):
    reply = httpx.post(server.ims_url, data=ims_form(**override), timeout=5)
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client" and reply.json()["error_description"]
    assert server.token_mints == 0


def test_ims_rejects_unknown_scope(server):
    reply = httpx.post(server.ims_url, data=ims_form(scope="openid,no_such_scope"), timeout=5)
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_scope"
    assert "no_such_scope" in reply.json()["error_description"]


def test_ims_wants_a_form_not_json(server):
    reply = httpx.post(server.ims_url, json=ims_form(), timeout=5)
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"


# -- documented header errors ---------------------------------------------------

@pytest.mark.parametrize(
    ("change", "status", "code", "message"),
    [
        ({"Authorization": None}, 403, "403010", "Oauth token is missing."),
        ({"Authorization": "Bearer not-a-token"}, 401, "401013", "Oauth token is not valid"),
        ({"x-api-key": None}, 403, "403000", "Api Key is required"),
        ({"x-api-key": "another-client"}, 403, "403003", "Api Key is invalid"),
        ({"x-gw-ims-org-id": None}, 400, "400003", "Missing header"),
        ({"x-gw-ims-org-id": "OTHER@AdobeOrg"}, 403, "403025", "Profile is not valid"),
        ({"x-sandbox-name": "prod"}, 403, "403025", "Profile is not valid"),
    ],
)
def test_header_problems_return_the_documented_bodies(client, headers, change, status, code, message):
    for name, value in change.items():
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    reply = client.get("/offers", params={"offer-type": "personalized"}, headers=headers)
    assert reply.status_code == status
    assert reply.json() == {"error_code": code, "message": message}


def test_body_without_json_content_type_is_rejected(server, client, headers):
    reply = client.post("/offers", params={"offer-type": "personalized"}, headers=headers,
                        content=b'{"name": "x"}')
    assert reply.status_code == 400
    body = reply.json()
    assert body["title"] == "BadRequestError" and body["status"] == 400 and body["type"]
    assert body["detail"] == "A valid content-type must be specified"
    assert server.offers == {}


def test_offers_without_offer_type_is_a_bad_request(client, headers):
    reply = client.get("/offers", headers=headers)
    assert reply.status_code == 400
    body = reply.json()
    assert set(body) >= {"type", "title", "status", "detail"} and "offer-type" in body["detail"]


# -- offers -----------------------------------------------------------------------

def test_create_returns_a_receipt_and_get_returns_the_stored_offer(server, client, headers):
    doc = offer()
    reply = post_offer(client, headers, doc)
    assert reply.status_code == 201
    receipt = reply.json()
    assert set(receipt) == RECEIPT_FIELDS
    assert receipt["etag"] == 1 and re.fullmatch(r"dps:personalized-offer:[0-9a-f]{16}", receipt["id"])
    assert ISO_Z.match(receipt["createdDate"]) and ISO_Z.match(receipt["lastModifiedDate"])
    assert receipt["createdByClientId"] == DEMO_CLIENT_ID

    fetched = client.get(f"/offers/{quote(receipt['id'], safe='')}", params={"offer-type": "personalized"},
                         headers=headers)
    assert fetched.status_code == 200
    full = fetched.json()
    for key, value in doc.items():  # dates, unknown fields: all kept exactly
        assert full[key] == value
    assert full["id"] == receipt["id"] and full["etag"] == 1
    assert {"created", "modified", "schemas", "createdBy", "lastModifiedBy"} <= set(full)
    assert server.offers[receipt["id"]]["offer_type"] == "personalized"


def test_fallback_offers_are_kept_apart_from_personalized(client, headers):
    receipt = post_offer(client, headers, offer("Fallback"), "fallback").json()
    assert receipt["id"].startswith("dps:fallback-offer:")
    path = f"/offers/{quote(receipt['id'], safe='')}"
    assert client.get(path, params={"offer-type": "fallback"}, headers=headers).status_code == 200
    assert client.get(path, params={"offer-type": "personalized"}, headers=headers).status_code == 404


def test_invalid_offer_is_rejected_with_paths_and_nothing_is_stored(server, client, headers):
    doc = offer()
    del doc["name"]
    doc["representations"][0]["components"][0]["format"] = "html"
    reply = post_offer(client, headers, doc)
    assert reply.status_code == 400
    body = reply.json()
    assert body["title"] == "BadRequestError" and body["status"] == 400
    paths = {e["path"] for e in body["errors"]}
    assert "name" in paths
    assert "representations[0].components[0].format" in paths
    assert all(e["message"] for e in body["errors"])
    assert server.offers == {}


def test_offer_on_an_unknown_or_mismatched_placement_is_rejected(client, headers):
    unknown = post_offer(client, headers, offer(placement="offerPlacement1234"))
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["path"] == "representations[0].placement"
    wrong_channel = post_offer(client, headers, offer(placement=EMAIL_IMAGE))
    assert wrong_channel.status_code == 400
    assert wrong_channel.json()["errors"][0]["path"] == "representations[0].channel"


def test_malformed_json_body_is_a_bad_request(client, headers):
    reply = client.post("/offers", params={"offer-type": "personalized"}, content=b'{"name": ',
                        headers={**headers, "Content-Type": "application/json"})
    assert reply.status_code == 400 and "line 1" in reply.json()["detail"]


def test_list_offers_filters_by_name(client, headers):
    post_offer(client, headers, offer("Summer sale"))
    post_offer(client, headers, offer("Winter sale"))
    reply = client.get("/offers", headers=headers,
                       params={"offer-type": "personalized", "property": "name==Summer sale"})
    assert [o["name"] for o in reply.json()["results"]] == ["Summer sale"]
    regex = client.get("/offers", headers=headers,
                       params={"offer-type": "personalized", "property": "name~sale$", "orderby": "-name"})
    assert [o["name"] for o in regex.json()["results"]] == ["Winter sale", "Summer sale"]


def test_patch_bumps_etag_and_delete_removes(client, headers):
    receipt = post_offer(client, headers, offer()).json()
    path = f"/offers/{quote(receipt['id'], safe='')}"
    params = {"offer-type": "personalized"}
    patched = client.patch(path, params=params, headers=headers,
                           json=[{"op": "replace", "path": "/name", "value": "Renamed"}])
    assert patched.status_code == 200 and patched.json()["etag"] == 2
    assert client.get(path, params=params, headers=headers).json()["name"] == "Renamed"
    deleted = client.delete(path, params=params, headers=headers)
    assert deleted.status_code == 200 and deleted.content == b""
    assert client.get(path, params=params, headers=headers).status_code == 404


# -- placements, rules, paging --------------------------------------------------

def collect(client, headers, first_path):
    pages, href = [], first_path
    while href:
        reply = client.get(href, headers=headers)
        assert reply.status_code == 200
        pages.append(reply.json())
        href = reply.json()["_links"].get("next", {}).get("href")
        assert len(pages) < 20, "paging does not end"
    return pages


def test_placements_page_through_next_links(client, headers):
    pages = collect(client, headers, "/placements")
    assert [p["count"] for p in pages] == [5, 5, 2]
    assert all(p["total"] == 12 for p in pages)
    assert "next" not in pages[-1]["_links"]
    placements = [item for p in pages for item in p["results"]]
    assert len({p["id"] for p in placements}) == 12
    assert {p["channel"].rsplit("/", 1)[1] for p in placements} == {"web", "email", "mobile"}
    assert {p["componentType"] for p in placements} == {"html", "text", "imagelink", "json"}
    assert all(p["id"].startswith("dps:offer-placement:") and p["name"] for p in placements)


def test_limit_is_honoured(client, headers):
    one_page = client.get("/placements", params={"limit": 50}, headers=headers).json()
    assert one_page["count"] == 12 and "next" not in one_page["_links"]
    assert client.get("/placements", params={"limit": "many"}, headers=headers).status_code == 400


def test_rules_page_and_get_by_percent_encoded_id(client, headers):
    rules = [r for p in collect(client, headers, "/offer-rules") for r in p["results"]]
    assert len(rules) == 8
    assert all(r["condition"]["type"] == "PQL" and r["condition"]["format"] == "pql/text" for r in rules)
    rule = client.get(f"/offer-rules/{quote(rules[0]['id'], safe='')}", headers=headers)
    assert rule.status_code == 200 and rule.json() == rules[0]
    assert client.get("/offer-rules/dps%3Aeligibility-rule%3Anope", headers=headers).status_code == 404


# -- misbehaviour ------------------------------------------------------------------

def test_latency_delays_answers(server, client, headers):
    server.latency = 0.3
    started = time.monotonic()
    assert client.get("/tags", headers=headers).status_code == 200
    assert time.monotonic() - started >= 0.25


def test_fail_next_then_recover(server, client, headers):
    server.fail_next(503, times=2, path_prefix="/placements")
    assert client.get("/offer-rules", headers=headers).status_code == 200  # other paths unaffected
    first = client.get("/placements", headers=headers)
    assert first.status_code == 503 and first.json()["error_code"] == "503000"
    assert client.get("/placements", headers=headers).status_code == 503
    assert client.get("/placements", headers=headers).status_code == 200


def test_fail_next_can_send_a_raw_html_page(server, client, headers):
    server.fail_next(502, body="<html><body>Bad gateway</body></html>")
    reply = client.get("/tags", headers=headers)
    assert reply.status_code == 502 and reply.headers["content-type"].startswith("text/html")
    assert "Bad gateway" in reply.text


def test_rate_limit_sends_retry_after(server, client, headers):
    server.rate_limit_next(times=1, retry_after=2)
    reply = client.get("/placements", headers=headers)
    assert reply.status_code == 429 and reply.headers["retry-after"] == "2"
    assert client.get("/placements", headers=headers).status_code == 200


def test_expired_tokens_answer_401013_and_new_ones_work(server, client, headers):
    server.expire_tokens()
    reply = client.get("/placements", headers=headers)
    assert reply.status_code == 401 and reply.json()["error_code"] == "401013"
    headers["Authorization"] = f"Bearer {server.issue_token()}"
    assert client.get("/placements", headers=headers).status_code == 200


def test_short_lived_token_expires(server, client, headers):
    headers["Authorization"] = f"Bearer {server.issue_token(lifetime=0)}"
    assert client.get("/placements", headers=headers).json()["error_code"] == "401013"


def test_dropped_create_raises_transport_error_but_the_offer_exists(server, client, headers):
    server.drop_connection_next(path_prefix="/offers")
    with pytest.raises(httpx.TransportError):
        post_offer(client, headers, offer("Dropped"))
    # The dangerous case: the client saw nothing, yet the offer was created.
    found = client.get("/offers", headers=headers,
                       params={"offer-type": "personalized", "property": "name==Dropped"}).json()
    assert found["total"] == 1


def test_dropped_create_before_processing_stores_nothing(server, client, headers):
    server.drop_connection_next(path_prefix="/offers", process_first=False)
    with pytest.raises(httpx.TransportError):
        post_offer(client, headers, offer())
    assert server.offers == {}
    assert post_offer(client, headers, offer()).status_code == 201  # only the next one was dropped


def test_received_records_requests_with_the_token_redacted(server, client, headers):
    token = headers["Authorization"].split()[1]
    post_offer(client, headers, offer())
    record = server.received[-1]
    assert record["method"] == "POST" and record["rel"] == "/offers"
    assert record["query"] == {"offer-type": "personalized"}
    assert record["headers"]["authorization"] == "Bearer ***"
    assert record["json"]["name"] == "Summer sale banner" and record["status"] == 201
    assert token not in repr(server.received)


def test_server_is_silent_on_stderr(client, headers, capfd):
    client.get("/placements", headers=headers)
    client.get("/nope", headers=headers)
    assert capfd.readouterr().err == ""


# -- lifecycle ------------------------------------------------------------------------

def test_only_loopback_is_allowed():
    with pytest.raises(ValueError):
        DemoServer(host="0.0.0.0")


def test_stop_is_quick_even_with_requests_in_flight(headers):
    srv = DemoServer(latency=10).start()
    headers["Authorization"] = f"Bearer {srv.issue_token()}"
    errors = []

    def slow_request():
        try:
            httpx.get(srv.base_url + "/tags", headers=headers, timeout=15)
        except httpx.HTTPError as exc:
            errors.append(exc)

    worker = threading.Thread(target=slow_request, daemon=True)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 2
    worker.join(5)
    assert not worker.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", srv.port), timeout=1).close()


def test_demo_settings_point_at_the_server(server):
    settings = demo_settings(server)
    assert settings.endpoint == server.base_url and settings.ims_url == server.ims_url
    assert (settings.client_id, settings.ims_org, settings.sandbox) == (DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX)
    reply = httpx.post(settings.ims_url, timeout=5, data=ims_form(client_id=settings.client_id,
                                                                  client_secret=settings.client_secret,
                                                                  scope=settings.scopes))
    assert reply.status_code == 200  # the default scopes are accepted
    with_token = demo_settings(server, with_token=True)
    assert server.state.token_valid(with_token.access_token)


def test_run_standalone_prints_where_and_how_then_stops(capfd):
    out, stop = io.StringIO(), threading.Event()
    result = {}
    runner = threading.Thread(target=lambda: result.setdefault("rc", run_standalone(0, 0.0, out, stop_event=stop)))
    runner.start()
    deadline = time.monotonic() + 5
    while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    text = out.getvalue()
    endpoint = re.search(r"OFFER_TUI_ENDPOINT=(\S+)", text).group(1)
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/data/core/dps")
    assert f"OFFER_TUI_CLIENT_ID={DEMO_CLIENT_ID}" in text and "OFFER_TUI_IMS_URL=" in text
    assert httpx.get(endpoint + "/placements", timeout=5).status_code == 403  # up, and guarding
    stop.set()
    runner.join(5)
    assert not runner.is_alive() and result["rc"] == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(endpoint + "/placements", timeout=2)


def test_run_standalone_stops_cleanly_on_ctrl_c():
    class CtrlC:
        def wait(self, timeout=None):
            raise KeyboardInterrupt

    out = io.StringIO()
    assert run_standalone(0, 0.0, out, stop_event=CtrlC()) == 0
    assert out.getvalue().rstrip().endswith("Demo server stopped.")


def test_main_reports_a_busy_port_in_one_line(server, capsys):
    from offer_tui.demo import main

    assert main(["--port", str(server.port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{server.port}" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["--latency", "-1"])


def test_standalone_fail_spares_reads_and_fails_the_next_writes():
    """`demo-server --fail 500x2`: lists, gets and the check by name still work; the next two writes fail."""
    out, stop = io.StringIO(), threading.Event()
    runner = threading.Thread(target=run_standalone, args=(0, 0.0, out), kwargs={"stop_event": stop, "fail": (500, 2)})
    runner.start()
    try:
        deadline = time.monotonic() + 5
        while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
        endpoint = re.search(r"OFFER_TUI_ENDPOINT=(\S+)", out.getvalue()).group(1)
        ims = re.search(r"OFFER_TUI_IMS_URL=(\S+)", out.getvalue()).group(1)
        token = httpx.post(ims, data=ims_form(), timeout=5).json()["access_token"]
        hdrs = {"Authorization": f"Bearer {token}", "x-api-key": DEMO_CLIENT_ID, "x-gw-ims-org-id": DEMO_IMS_ORG,
                "x-sandbox-name": DEMO_SANDBOX, "Accept": "*,application/json"}
        with httpx.Client(base_url=endpoint, timeout=5) as c:
            listed = c.get("/offers", params={"offer-type": "personalized"}, headers=hdrs)
            assert listed.status_code == 200
            some_id = listed.json()["results"][0]["id"]
            assert c.get(f"/offers/{quote(some_id, safe='')}", params={"offer-type": "personalized"},
                         headers=hdrs).status_code == 200
            assert post_offer(c, hdrs, offer("First")).status_code == 500
            patch = [{"op": "replace", "path": "/status", "value": "approved"}]
            assert c.patch(f"/offers/{quote(some_id, safe='')}", params={"offer-type": "personalized"},
                           json=patch, headers={**hdrs, "Content-Type": "application/json"}).status_code == 500
            assert post_offer(c, hdrs, offer("Second")).status_code == 201  # two writes failed, then normal
    finally:
        stop.set()
        runner.join(5)
