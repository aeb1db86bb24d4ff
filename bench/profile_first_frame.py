"""Where the wizard's first frame goes: imports, then a profile of App.run up to the first paint.

    python bench/profile_first_frame.py [--top 30] [--sort cumulative|tottime] [--bare]

Runs the app headless at 120x40 (no terminal output, the same compose, CSS and layout work) with
cProfile, and stops it when the first frame has been painted (the app's ``_after_first_frame``
hook, which Textual calls after the first refresh). Prints the profile's top entries and the
time per group: our modules, Textual's CSS (parse + apply), compose/mount, layout and render.
``--bare`` profiles bench/bare_app.py the same way, for comparison. A measurement, not a test.
For imports, use ``python -X importtime -c "import offer_tui.ui.app"``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

GROUPS = (
    ("offer_tui (ours)", ("offer_tui/",)),
    ("textual css (parse, match, apply)", ("textual/css/", "textual/_styles_cache", "textual/dom.py")),
    ("textual compose/mount", ("textual/widget.py", "textual/_compose", "textual/message_pump", "textual/screen.py")),
    ("textual layout", ("textual/_arrange", "textual/layouts/", "textual/_resolve", "textual/_layout")),
    ("textual render", ("textual/_compositor", "textual/strip", "textual/_segment_tools", "rich/")),
    ("pygments", ("pygments/",)),
)


def make_app(bare: bool):
    if bare:
        from bare_app import BareApp  # type: ignore[import-not-found]

        class FirstFrameBare(BareApp):
            def on_mount(self) -> None:
                super().on_mount()
                self.call_after_refresh(self.exit)

        return FirstFrameBare()
    from offer_tui.ui.app import OfferTuiApp

    app = OfferTuiApp(demo=True)
    app._after_first_frame = lambda: app.exit()  # type: ignore[method-assign]
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--bare", action="store_true", help="profile the bare app instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OFFER_TUI_STATE_DIR"] = os.path.join(tmp, "state")
        os.environ["OFFER_TUI_CONFIG_DIR"] = os.path.join(tmp, "config")
        started = time.perf_counter()
        profile = cProfile.Profile()
        profile.enable()
        app = make_app(args.bare)
        app.run(headless=True, size=(120, 40))
        profile.disable()
        elapsed = time.perf_counter() - started
    stats = pstats.Stats(profile)
    print(f"{'bare' if args.bare else 'offer-tui --demo'}: first frame after {elapsed * 1000:.0f} ms "
          "(headless, under the profiler: compare groups, not totals)\n")
    totals: dict[str, float] = {name: 0.0 for name, _ in GROUPS}
    total = 0.0
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        for name, needles in GROUPS:
            if any(needle in filename for needle in needles):
                totals[name] += tottime
                break
    print("own time by group:")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {seconds * 1000:7.1f} ms  {name}")
    print(f"  {(total - sum(totals.values())) * 1000:7.1f} ms  other (asyncio, stdlib, imports)\n")
    stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
