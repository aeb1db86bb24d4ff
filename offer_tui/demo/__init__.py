"""A local, in-memory stand-in for the Offer Library API and Adobe IMS.

Used by ``offer-tui --demo``, ``offer-tui demo-server`` and the tests. Standard
library only; it listens on 127.0.0.1 and nowhere else.
"""

from .data import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_IMS_ORG, DEMO_SANDBOX, PLACEMENTS, RULES, TAGS
from .server import API_BASE_PATH, IMS_PATH, DemoServer
from .standalone import demo_settings, main, run_standalone

__all__ = [
    "API_BASE_PATH",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_IMS_ORG",
    "DEMO_SANDBOX",
    "IMS_PATH",
    "PLACEMENTS",
    "RULES",
    "TAGS",
    "DemoServer",
    "demo_settings",
    "main",
    "run_standalone",
]
