"""Benchmark: `offer-tui validate FILE` start-up against `python -c "import pydantic, httpx"` (issue 13, 7).

    python bench/startup_validate.py [--runs 9]

Both run as child processes with the project's interpreter, paired and interleaved (validate,
reference, reference, validate, ...) so that machine drift hits both alike, after one unmeasured
warm-up each (bytecode, page cache). The figure is the median of the per-pair ratios
validate / reference. Goal: <= 1.3x. Always exits 0: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFER = ROOT / "tests" / "data" / "seed_offer.json"


def _env(tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OFFER_TUI_", "PYTHONDONTWRITEBYTECODE"))}
    env.update(OFFER_TUI_CONFIG_DIR=f"{tmp}/config", OFFER_TUI_STATE_DIR=f"{tmp}/state",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return env


def _time(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=9)
    args = options.parse_args(argv)
    validate = [sys.executable, "-m", "offer_tui", "validate", str(OFFER)]
    reference = [sys.executable, "-c", "import pydantic, httpx"]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp)
        _time(validate, env), _time(reference, env)  # warm-up
        pairs = []
        for i in range(args.runs):
            if i % 2 == 0:
                v, r = _time(validate, env), _time(reference, env)
            else:
                r, v = _time(reference, env), _time(validate, env)
            pairs.append((v, r))
    ratios = [v / r for v, r in pairs]
    print(f"validate start-up, {args.runs} paired runs (interleaved; load average {load_before:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"  offer-tui validate FILE          median {statistics.median(v for v, _ in pairs) * 1000:7.1f} ms")
    print(f"  python -c 'import pydantic, httpx' median {statistics.median(r for _, r in pairs) * 1000:5.1f} ms")
    print(f"  ratio (median of pairs) {statistics.median(ratios):.2f}x  (goal <= 1.3x; range {min(ratios):.2f}-{max(ratios):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
