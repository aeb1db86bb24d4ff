"""Shared helpers for the bulk and copy tests: a template that the demo API accepts, files, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from offer_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX

WEB = "https://ns.adobe.com/xdm/channel-types/web"
HERO = "dps:offer-placement:1a2b3c4d5e6f7081"  # "Homepage hero banner" in the demo catalogue
GOLD = "dps:eligibility-rule:19af09a9ae45a8d3"  # "Gold loyalty members"

TEMPLATE = {
    "name": "template",
    "status": "draft",
    "representations": [{
        "channel": WEB,
        "placement": HERO,
        "components": [{"type": "html", "format": "text/html", "language": ["en-us"], "content": "<p>hello</p>"}],
    }],
    "selectionConstraint": {
        "startDate": "2026-01-01T00:00:00.000Z",
        "endDate": "2026-12-31T00:00:00.000Z",
        "profileConstraintType": "none",
    },
    "rank": {"priority": 0},
}


def write_template(tmp_path: Path, doc: dict | None = None) -> Path:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(doc or TEMPLATE))
    return path


def write_csv(tmp_path: Path, rows: int, *, prefix: str = "Offer", name: str = "offers.csv",
              bad: dict[int, str] | None = None) -> Path:
    """rows x (name, rank.priority, content); ``bad`` replaces a row's priority cell (1-based)."""
    lines = ["name,rank.priority,representations[0].components[0].content"]
    for i in range(1, rows + 1):
        priority = (bad or {}).get(i, str(i % 7))
        lines.append(f"{prefix} {i:05d},{priority},<p>row {i}</p>")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def demo_env(server, *, token: bool = False) -> dict[str, str]:
    env = {
        "OFFER_TUI_ENDPOINT": server.base_url,
        "OFFER_TUI_IMS_URL": server.ims_url,
        "OFFER_TUI_CLIENT_ID": DEMO_CLIENT_ID,
        "OFFER_TUI_IMS_ORG": DEMO_IMS_ORG,
        "OFFER_TUI_SANDBOX": DEMO_SANDBOX,
    }
    if token:
        env["OFFER_TUI_ACCESS_TOKEN"] = server.issue_token()
    else:
        env["OFFER_TUI_CLIENT_SECRET"] = DEMO_CLIENT_SECRET
    return env


def creates(server) -> list[dict]:
    """The create requests the demo API received (answered or not)."""
    return [r for r in server.received if r["method"] == "POST" and r["rel"] == "/offers"]


def stored_names(server) -> list[str]:
    return sorted(entry["body"]["name"] for entry in list(server.offers.values()))
