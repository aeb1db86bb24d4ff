"""The demo API's other kinds over real loopback HTTP: the seeded library, paging and filters,
create / get / PATCH / DELETE with receipts and etags, references refused as the client checks
them, a second sandbox under other ids, the scale seeds, and issue 16's rule identities."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest

from offer_tui.demo import DEMO_CLIENT_ID, DEMO_IMS_ORG, DEMO_SANDBOX, DemoServer
from offer_tui.demo.library import COLLECTIONS, DECISIONS
from offer_tui.demo.seed import DEMO_OFFERS, SCALE_TAG, seed_documents
from offer_tui.model.kinds import KINDS
from offer_tui.model.references import extract

pytestmark = pytest.mark.timeout(60)

RECEIPT_FIELDS = {"etag", "createdBy", "lastModifiedBy", "id", "sandboxId", "createdDate", "lastModifiedDate",
                  "createdByClientId", "lastModifiedByClientId"}
PREFIX = {"offer-decisions": "dps:offer-activity:", "offer-collections": "dps:offer-collection:",
          "placements": "dps:offer-placement:", "offer-rules": "dps:eligibility-rule:", "tags": "dps:offer-tag:"}
WEB_BANNER = "dps:offer-placement:1a2b3c4d5e6f7081"
CLEARANCE = "dps:offer-tag:2b3c4d5e6f708194"


@pytest.fixture(scope="module")
def seeded():
    server = DemoServer(page_size=2, seed_offers=DEMO_OFFERS).start()
    try:
        yield server
    finally:
        server.stop()


def _headers(server) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.issue_token()}", "x-api-key": DEMO_CLIENT_ID,
            "x-gw-ims-org-id": DEMO_IMS_ORG, "x-sandbox-name": DEMO_SANDBOX, "Accept": "*,application/json"}


@pytest.fixture
def http(seeded):
    with httpx.Client(base_url=seeded.base_url, timeout=5, headers=_headers(seeded)) as c:
        yield c


@pytest.fixture
def fresh():
    """A seeded sandbox of its own, for tests that write."""
    server = DemoServer(page_size=3, seed_offers=DEMO_OFFERS).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=5, headers=_headers(server)) as c:
            yield server, c
    finally:
        server.stop()


def everything(http, path: str, **params) -> list[dict]:
    items, href, pages = [], path, 0
    reply = http.get(href, params=params)
    while True:
        assert reply.status_code == 200, reply.text
        body = reply.json()
        items += body["results"]
        assert body["count"] == len(body["results"])
        pages += 1
        assert pages < 50
        href = body["_links"].get("next", {}).get("href")
        if not href:
            return items
        reply = http.get(href)


def by_name(items) -> dict[str, dict]:
    return {i["name"]: i for i in items}


# -- the seeded library ---------------------------------------------------------------

def test_the_seeded_library_has_every_kind(http):
    counts = {path: http.get(path, params={"limit": 1}).json()["total"]
              for path in ("/offer-decisions", "/offer-collections", "/placements", "/offer-rules", "/tags")}
    assert counts == {"/offer-decisions": 3, "/offer-collections": 4, "/placements": 12, "/offer-rules": 8,
                      "/tags": 6}
    channels = {p["channel"].rsplit("/", 1)[1] for p in everything(http, "/placements")}
    assert channels == {"web", "email", "mobile"}
    assert set(by_name(everything(http, "/offer-decisions"))) == {d[0] for d in DECISIONS}
    assert {c["filterType"] for c in everything(http, "/offer-collections")} == {"any-tags", "all-tags", "offers"}


def test_every_seeded_reference_resolves_and_every_decision_has_a_fallback_offer(seeded, http):
    fallbacks = {o["id"] for o in everything(http, "/offers", **{"offer-type": "fallback"})}
    ids = {"placements": {p["id"] for p in everything(http, "/placements")},
           "rules": {r["id"] for r in everything(http, "/offer-rules")},
           "tags": {t["id"] for t in everything(http, "/tags")},
           "collections": {c["id"] for c in everything(http, "/offer-collections")},
           "offers": {o["id"] for o in everything(http, "/offers", **{"offer-type": "personalized"})},
           "fallbacks": fallbacks}
    decisions = everything(http, "/offer-decisions")
    assert all(d["fallback"] in fallbacks for d in decisions)
    refs = [r for d in decisions for r in extract("decisions", d)]
    refs += [r for c in everything(http, "/offer-collections") for r in extract("collections", c)]
    assert {r.kind for r in refs} == {"placements", "collections", "rules", "fallbacks", "tags", "offers"}
    assert [r for r in refs if r.id not in ids[r.kind]] == []


def test_collections_select_the_tagged_offers(http):
    offers = everything(http, "/offers", **{"offer-type": "personalized"})
    tags = {t["id"]: t["name"] for t in everything(http, "/tags")}
    names = {o["id"]: o["name"] for o in offers}
    collections = by_name(everything(http, "/offer-collections"))

    def selected(collection):
        wanted = set(collection["ids"])
        if collection["filterType"] == "offers":
            return {names[i] for i in wanted}
        test = any if collection["filterType"] == "any-tags" else all
        return {o["name"] for o in offers
                if test(t in set(o.get("tags", [])) for t in wanted)}

    assert {tags[i] for i in collections["Winter campaign"]["ids"]} == {"Clearance", "Newsletter"}
    assert "Winter sale 20% (web)" in selected(collections["Winter campaign"])
    assert len(selected(collections["Loyalty rewards"])) >= 4
    assert selected(collections["Clearance for subscribers"]) == {"Winter sale 20% (email)"}
    assert selected(collections["App launch picks"]) == set(COLLECTIONS[3][2])


# -- paging, filters, order ----------------------------------------------------------

def test_decisions_page_through_next_links_with_total(http):
    first = http.get("/offer-decisions").json()
    assert first["count"] == 2 and first["total"] == 3 and "next" in first["_links"]
    assert first["_links"]["next"]["href"].startswith("/offer-decisions?")
    assert len({d["id"] for d in everything(http, "/offer-decisions")}) == 3
    assert http.get("/offer-decisions", params={"limit": 10}).json()["count"] == 3


def test_property_filters_regex_equality_and_orderby(http):
    live = everything(http, "/offer-decisions", property="status==live")
    assert {d["status"] for d in live} == {"live"} and len(live) == 2
    regex = everything(http, "/tags", property="name~^(Summer|Mobile)")
    assert sorted(t["name"] for t in regex) == ["Mobile only", "Summer sale"]
    exact = everything(http, "/offer-collections", property="name==Loyalty rewards")
    assert [c["name"] for c in exact] == ["Loyalty rewards"]
    ordered = [t["name"] for t in everything(http, "/tags", orderby="-name")]
    assert ordered == sorted(ordered, reverse=True)
    assert http.get("/tags", params={"property": "name~("}).status_code == 400


# -- writes ----------------------------------------------------------------------------

NEW = {
    "offer-decisions": lambda: {"name": "New decision", "status": "draft",
                                "startDate": "2027-01-01T00:00:00.000+00:00", "endDate": "2027-02-01T00:00:00.000+00:00",
                                "fallback": "dps:fallback-offer:1e9d5c0000000015",
                                "criteria": [{"placements": [WEB_BANNER], "rank": {"priority": 0},
                                              "profileConstraint": {"profileConstraintType": "none"},
                                              "optionSelection": {"filter": "dps:offer-collection:3c4d5e6f70819000"}}]},
    "offer-collections": lambda: {"name": "New collection", "filterType": "any-tags", "ids": [CLEARANCE],
                                  "labels": ["core/C5"]},
    "placements": lambda: {"name": "New placement", "description": "d", "componentType": "html",
                           "channel": "https://ns.adobe.com/xdm/channel-types/email", "itemCount": 1},
    "offer-rules": lambda: {"name": "Sales rule", "condition": {"type": "PQL", "format": "pql/text",
                                                                "value": "profile.person.name.firstName.equals(\"Joe\", false)"}},
    "tags": lambda: {"name": "Black Friday", "description": "Tag for black friday"},
}


@pytest.mark.parametrize("collection", list(NEW))
def test_create_get_patch_delete(fresh, collection):
    server, http = fresh
    created = http.post(f"/{collection}", json=NEW[collection]())
    assert created.status_code == 201, created.text
    receipt = created.json()
    assert set(receipt) == RECEIPT_FIELDS and receipt["etag"] == 1
    assert receipt["id"].startswith(PREFIX[collection]) and re.fullmatch(r"[0-9a-f]{16}", receipt["id"].rsplit(":", 1)[1])
    url = f"/{collection}/{quote(receipt['id'], safe='')}"
    got = http.get(url).json()
    assert got["name"] == NEW[collection]()["name"] and got["etag"] == 1 and got["id"] == receipt["id"]
    assert {"created", "modified", "schemas", "createdBy", "lastModifiedBy"} <= set(got)
    patched = http.patch(url, json=[{"op": "replace", "path": "/name", "value": "Renamed"}])
    assert patched.status_code == 200 and patched.json()["etag"] == 2 and patched.json()["id"] == receipt["id"]
    assert http.get(url).json()["name"] == "Renamed"
    assert http.get(f"/{collection}", params={"property": "name==Renamed"}).json()["total"] == 1
    deleted = http.delete(url)
    assert deleted.status_code == 200 and deleted.content == b""
    assert http.get(url).status_code == 404
    assert http.delete(url).status_code == 404
    assert http.patch(url, json=[{"op": "replace", "path": "/name", "value": "x"}]).status_code == 404


def test_a_create_naming_missing_objects_is_refused_with_the_paths_and_ids(fresh):
    server, http = fresh
    doc = NEW["offer-decisions"]()
    doc["criteria"][0]["placements"].append("dps:offer-placement:nope")
    doc["criteria"][0]["profileConstraint"] = {"profileConstraintType": "eligibilityRule",
                                              "eligibilityRule": "dps:eligibility-rule:gone"}
    doc["fallback"] = "dps:personalized-offer:1e9d5c0000000000"  # exists, but it is not a fallback offer
    reply = http.post("/offer-decisions", json=doc)
    assert reply.status_code == 400
    body = reply.json()
    assert body["title"] == "BadRequestError" and "criteria[0].placements[1]" in body["detail"]
    assert "dps:offer-placement:nope" in body["detail"] and "(and 2 more)" in body["detail"]
    assert [e["path"] for e in body["errors"]] == ["criteria[0].placements[1]",
                                                   "criteria[0].profileConstraint.eligibilityRule", "fallback"]
    assert "dps:eligibility-rule:gone" in body["errors"][1]["message"]
    assert len(server.state.objects["offer-decisions"]) == 3  # nothing stored


def test_a_patch_to_a_missing_tag_or_offer_is_refused_and_changes_nothing(fresh):
    server, http = fresh
    collections = by_name(everything(http, "/offer-collections"))
    winter = collections["Winter campaign"]
    url = f"/offer-collections/{quote(winter['id'], safe='')}"
    reply = http.patch(url, json=[{"op": "replace", "path": "/ids", "value": [CLEARANCE, "dps:offer-tag:nope"]}])
    assert reply.status_code == 400 and reply.json()["errors"][0]["path"] == "ids[1]"
    assert http.get(url).json()["etag"] == winter["etag"]
    # A fixed list names offers: a tag id there is a missing offer.
    fixed = collections["App launch picks"]
    reply = http.patch(f"/offer-collections/{quote(fixed['id'], safe='')}",
                       json=[{"op": "add", "path": "/ids/-", "value": CLEARANCE}])
    assert reply.status_code == 400 and "ids[3]" in reply.json()["detail"] and CLEARANCE in reply.json()["detail"]


def test_an_offer_naming_a_missing_tag_is_refused(fresh):
    server, http = fresh
    offer = next(e for e in server.offers.values() if e["body"].get("tags"))
    doc = dict(offer["body"], name="Tagged copy", tags=[CLEARANCE, "dps:offer-tag:missing"])
    reply = http.post("/offers", params={"offer-type": "personalized"}, json=doc)
    assert reply.status_code == 400 and reply.json()["errors"][0]["path"] == "tags[1]"
    assert http.post("/offers", params={"offer-type": "personalized"}, json=dict(doc, tags=[CLEARANCE])).status_code == 201


@pytest.mark.parametrize("doc, path", [
    ({"description": "no name"}, "name"),
    ({"name": "x", "status": "running"}, "status"),
    ({"name": "x", "filterType": "some-tags", "ids": []}, "filterType"),
])
def test_bodies_the_demo_cannot_take_are_refused_by_path(fresh, doc, path):
    server, http = fresh
    target = "/offer-collections" if "filterType" in doc else "/offer-decisions"
    reply = http.post(target, json=doc)
    assert reply.status_code == 400 and reply.json()["errors"][0]["path"] == path
    assert http.post("/tags", content=b"{nope", headers={"Content-Type": "application/json"}).status_code == 400


# -- another sandbox, scale, identities -------------------------------------------------

def _library(server):
    objects = server.state.objects
    return {key: {e["body"]["name"]: i for i, e in objects[key].items()} for key in objects} | {
        "offers": {e["body"]["name"]: i for i, e in server.offers.items()}}


def test_an_id_salt_gives_the_same_library_under_other_ids_that_resolve_there():
    dev, prod = DemoServer(seed_offers=DEMO_OFFERS), DemoServer(seed_offers=DEMO_OFFERS, id_salt="prod")
    a, b = _library(dev), _library(prod)
    for key in a:
        assert set(a[key]) == set(b[key]), key  # the same names
        assert not set(a[key].values()) & set(b[key].values()), key  # no id in common
        assert all(i.startswith(PREFIX.get(key, "dps:")) for i in b[key].values())
    again = _library(DemoServer(seed_offers=DEMO_OFFERS, id_salt="prod"))
    assert again == b  # stable: the same salt is the same sandbox
    ids = {kind: prod.state.ids("offers", t) for kind, t in (("offers", "personalized"), ("fallbacks", "fallback"))}
    for key, word in (("placements", "placements"), ("offer-rules", "rules"), ("tags", "tags"),
                      ("offer-collections", "collections")):
        ids[word] = prod.state.ids(key)
    for key, word in (("offer-decisions", "decisions"), ("offer-collections", "collections")):
        for entry in prod.state.objects[key].values():
            assert all(r.id in ids[r.kind] for r in extract(word, entry["body"])), entry["body"]["name"]


def test_decisions_for_scale_are_deterministic_and_resolve():
    server = DemoServer(seed_offers=200, seed_decisions=60)
    decisions = server.state.objects["offer-decisions"]
    assert len(decisions) == 60
    assert list(decisions) == list(DemoServer(seed_offers=200, seed_decisions=60).state.objects["offer-decisions"])
    existing = {"placements": server.state.ids("placements"), "rules": server.state.ids("offer-rules"),
                "collections": server.state.ids("offer-collections"),
                "fallbacks": server.state.ids("offers", "fallback")}
    for entry in decisions.values():
        assert all(r.id in existing[r.kind] for r in extract("decisions", entry["body"]))
    assert len(DemoServer(seed_offers=DEMO_OFFERS, seed_decisions=0).state.objects["offer-decisions"]) == 0
    with pytest.raises(ValueError):
        DemoServer(seed_offers=5, seed_decisions=10)
    assert DemoServer().state.objects["offer-decisions"] == {}  # a plain server: the catalogue only


def test_one_tag_is_used_by_about_500_of_10000_offers():
    docs = seed_documents(10_000)
    tag = next(t["id"] for t in DemoServer().state.catalogue["tags"][0] if t["name"] == SCALE_TAG)
    users = sum(1 for d in docs if tag in d.body.get("tags", []))
    assert 450 <= users <= 550


def test_demo_server_command_takes_decisions(monkeypatch, capsys):
    from offer_tui.cli import main
    from offer_tui.demo import standalone

    seen = []
    monkeypatch.setattr(standalone, "run_standalone", lambda *a, **k: seen.append(k) or 0)
    assert main(["demo-server", "--decisions", "1000"]) == 0
    assert seen[-1]["decisions"] == 1000
    with pytest.raises(SystemExit):
        standalone.main(["--decisions", "5", "--offers", "3"])
    assert "--decisions needs" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        standalone.main(["--decisions", "-1"])


def test_the_banner_counts_the_library():
    from offer_tui.demo.standalone import banner

    text = banner(DemoServer(seed_offers=DEMO_OFFERS, seed_decisions=5))
    assert "5 decisions, 4 collections, 12 placements, 8 rules, 6 tags" in text


def test_rules_qualify_identities_from_demo_data_not_from_the_rule_body(http):
    prod = DemoServer(id_salt="prod")
    for server in (DemoServer(), prod):
        rules = {e["body"]["name"]: i for i, e in server.state.objects["offer-rules"].items()}
        assert "Email:jane@example.com" in server.state.rule_identities[rules["Gold loyalty members"]]
        assert "Email:jane@example.com" not in server.state.rule_identities[rules["Platinum loyalty members"]]
        assert server.state.rule_qualifies(rules["Gold loyalty members"], ["Email:nobody@x", "Email:jane@example.com"])
        assert not server.state.rule_qualifies(rules["Platinum loyalty members"], ["Email:jane@example.com"])
    gold = next(r for r in everything(http, "/offer-rules") if r["name"] == "Gold loyalty members")
    assert "jane@example.com" not in str(gold)  # the API body is what Adobe would send
    assert not prod.state.rule_qualifies("dps:eligibility-rule:unknown", ["Email:jane@example.com"])
    first = next(iter(prod.state.rule_identities))
    prod.state.qualify(first, "Email:new@example.com")
    assert prod.state.rule_qualifies(first, ["Email:new@example.com"])


def test_every_kind_has_a_demo_collection():
    served = {k.path for k in KINDS}
    assert served == {"/offers", "/offer-decisions", "/offer-collections", "/placements", "/offer-rules", "/tags"}
    assert set(DemoServer().state.objects) == {p.strip("/") for p in served} - {"offers"}
