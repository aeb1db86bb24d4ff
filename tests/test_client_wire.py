"""Exact wire details of OfferClient requests, checked with httpx.MockTransport."""

from __future__ import annotations


import httpx
import pytest

from offer_tui.api import ApiError, OfferClient, StaticTokenProvider
from offer_tui.api import client as client_module
from offer_tui.model import to_json

BASE = "https://platform.test/data/core/dps"


def make_client(handler, **options) -> OfferClient:
    return OfferClient(
        BASE + "/",
        api_key="cid",
        ims_org="ORG@AdobeOrg",
        sandbox="prod",
        token_provider=StaticTokenProvider("tok-abcdef"),
        transport=httpx.MockTransport(handler),
        **options,
    )


async def test_create_sends_the_shared_serializer_output_byte_for_byte():
    doc = {"name": "Café «x»", "selectionConstraint": {"startDate": "2025-01-01T00:00:00.000+00:00"}}
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "dps:personalized-offer:1", "etag": 1})

    async with make_client(handler) as client:
        result = await client.create_offer(doc)
    assert client_module._to_json is to_json
    (request,) = seen
    assert request.content == to_json(doc).encode("utf-8")
    assert str(request.url) == BASE + "/offers?offer-type=personalized"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer tok-abcdef"
    assert request.headers["x-api-key"] == "cid"
    assert request.headers["x-gw-ims-org-id"] == "ORG@AdobeOrg"
    assert request.headers["x-sandbox-name"] == "prod"
    assert result.offer_id == "dps:personalized-offer:1"


async def test_create_with_a_non_json_success_body_is_an_unknown_outcome():
    # Only a JSON receipt with an id proves a create: a 2xx with anything else is unknown.
    async with make_client(lambda r: httpx.Response(201, text="created")) as client:
        with pytest.raises(ApiError) as info:
            await client.create_offer({"name": "x"})
    assert info.value.outcome_unknown and info.value.status == 201
    assert "Body: created" in info.value.message and "find --name x" in info.value.hint


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(201, text="<html><body>Created</body></html>", headers={"Content-Type": "text/html"}),
        httpx.Response(201, json=[1, 2, 3]),
        httpx.Response(201, json={"etag": 1}),
        httpx.Response(302, headers={"Location": "/elsewhere"}),
        httpx.Response(200),
    ],
    ids=["html", "array", "no-id", "302", "empty"],
)
async def test_create_without_a_receipt_is_unknown_and_not_followed(response):
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    async with make_client(handler) as client:
        with pytest.raises(ApiError) as info:
            await client.create_offer({"name": "x"})
    assert info.value.outcome_unknown and info.value.status == response.status_code
    assert len(seen) == 1  # a redirect is never followed for a write


async def test_get_headers_and_id_encoding():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "a b/c:d"})

    async with make_client(handler) as client:
        await client.get_offer("a b/c:d", offer_type="fallback")
    request = seen[0]
    assert request.url.raw_path == b"/data/core/dps/offers/a%20b%2Fc%3Ad?offer-type=fallback"
    assert request.headers["accept"] == "application/json"
    assert "content-type" not in request.headers
    assert request.headers["user-agent"].startswith("offer-tui/")


async def test_find_by_name_encodes_spaces_as_percent_20_and_follows_next_as_given():
    urls: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(request.url.raw_path)
        if len(urls) == 1:
            nxt = {"href": "/offers?offer-type=PERSONALIZED&limit=1&start=abc%3D&property=name%3D%3DSummer%20sale"}
            return httpx.Response(200, json={"results": [{"id": "1"}], "_links": {"next": nxt}})
        return httpx.Response(200, json={"results": [{"id": "2"}], "_links": {}})

    async with make_client(handler) as client:
        found = await client.find_offers_by_name("Summer sale")
    assert [o["id"] for o in found] == ["1", "2"]
    assert urls[0] == b"/data/core/dps/offers?offer-type=personalized&property=name==Summer%20sale"
    assert urls[1] == b"/data/core/dps/offers?offer-type=PERSONALIZED&limit=1&start=abc%3D&property=name%3D%3DSummer%20sale"


async def test_a_non_json_list_answer_is_an_error_with_a_hint():
    async with make_client(lambda r: httpx.Response(200, text="<html>portal</html>")) as client:
        with pytest.raises(ApiError) as info:
            await client.list_rules()
    assert info.value.code == "bad_response"
    assert "/data/core/dps" in info.value.hint


async def test_post_401_with_a_static_token_is_not_repeated():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(401, json={"error_code": "401013", "message": "Oauth token is not valid"})

    async with make_client(handler) as client:
        with pytest.raises(ApiError) as info:
            await client.create_offer({"name": "x"})
    assert len(calls) == 1
    assert info.value.code == "401013" and not info.value.outcome_unknown


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("t"), httpx.RemoteProtocolError("Server disconnected"), httpx.ReadError("reset"),
     httpx.WriteError("broken pipe")],
)
async def test_post_failures_after_sending_have_unknown_outcome(exc):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise exc

    async with make_client(handler) as client:
        with pytest.raises(ApiError) as info:
            await client.create_offer({"name": "Summer 'sale'"})
    assert len(calls) == 1
    assert info.value.outcome_unknown
    assert "outcome is unknown" in info.value.message
    assert "find --name 'Summer '\"'\"'sale'\"'\"''" in info.value.hint
    assert info.value.__cause__ is None  # no request object (with its token) rides along


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
async def test_post_failures_before_sending_are_plain_failures(exc):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise exc

    async with make_client(handler, max_retries=3) as client:
        with pytest.raises(ApiError) as info:
            await client.create_offer({"name": "x"})
    assert len(calls) == 1
    assert not info.value.outcome_unknown
    assert "nothing was sent" in info.value.message


async def test_post_502_with_html_is_outcome_unknown():
    page = "<html><body>502 Bad Gateway</body></html>"
    async with make_client(lambda r: httpx.Response(502, text=page)) as client:
        with pytest.raises(ApiError) as info:
            await client.create_offer({"name": "x"})
    assert info.value.outcome_unknown and info.value.status == 502
    assert info.value.raw == page


@pytest.mark.parametrize("depth", [70, 900, 100_000])
async def test_server_data_nested_too_deep_is_refused_not_passed_on(depth):
    # A fetched offer goes to the wizard, the preview and the tables: none of them may meet it.
    body = '{"id": "x", "a": ' + "[" * depth + "]" * depth + "}"
    async with make_client(lambda r: httpx.Response(200, text=body)) as client:
        with pytest.raises(ApiError) as info:
            await client.get_offer("x")
    assert info.value.code in ("too_deep", "bad_response")
    assert "Traceback" not in str(info.value)
