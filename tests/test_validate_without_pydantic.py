"""`validate`, `submit`, bulk, copy and the wizard check offers with the shape rules alone.

The strict pydantic models are the oracle those rules are tested against (see
test_model_properties.py, which compares the two on generated offers and junk); they are not
loaded to check an offer, which kept ~100 ms of pydantic out of `offer-tui validate`'s start-up
(bench/startup_validate.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from offer_tui.model import validate_offer

ROOT = Path(__file__).resolve().parent.parent
OFFER_FILES = sorted([*ROOT.glob("examples/*.json"), *ROOT.glob("tests/data/*.json")])


def test_validate_does_not_load_pydantic(tmp_path):
    code = ("import sys\nfrom offer_tui.cli import main\nrc = main(['validate', sys.argv[1]])\n"
            "print(rc, 'pydantic' in sys.modules, 'pydantic_core' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "tests" / "data" / "seed_offer.json")],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["0", "False", "False"]


@pytest.mark.parametrize("path", OFFER_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("offer_type", ["personalized", "fallback"])
def test_the_report_without_the_models_is_the_report_with_them(path, offer_type):
    doc = json.loads(path.read_text(encoding="utf-8"))
    for server_field in ("id", "_instance", "etag"):  # a GET response, as --from takes it
        doc.pop(server_field, None)
    plain, strict = validate_offer(doc, offer_type), validate_offer(doc, offer_type, strict=True)
    assert [str(e) for e in plain.errors] == [str(e) for e in strict.errors]
    assert [str(w) for w in plain.warnings] == [str(w) for w in strict.warnings]
