"""Hostile-input sweep: hand-made hostile files plus random mutations of a valid offer, run through
`offer-tui validate` (in-process, as the CLI runs it), the `--from` loader (``load_offer_file``) and
the draft reader, with a watchdog per file. Re-runnable; prints the figures for the closing note.

    PYTHONPATH=. python scripts/hostile_sweep.py [--mutations 400] [--seed 7] [--tui 6] [--show 10]

A file counts as
- a crash when anything raises out of the command, or the exit code is not 0/1, or a traceback is printed;
- a hang when it takes longer than --timeout seconds (SIGALRM interrupts it);
- unclear when the message shows Python internals (Traceback, timedelta, 'object at 0x', an exception
  class name), is empty on failure, is longer than 2,000 characters, or does not name the file;
- a leak when a document the loader accepted cannot be written back as strict JSON (NaN, Infinity,
  lone surrogates) after `validate` said it is valid.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offer_tui.cli import main as cli_main  # noqa: E402
from offer_tui.drafts import DraftStore  # noqa: E402
from offer_tui.model import OfferFileError, load_offer_file, to_json, validate_offer  # noqa: E402

EXAMPLE = ROOT / "examples" / "personalized-offer.json"
INTERNALS = re.compile(r"Traceback|timedelta|object at 0x|<class |\b[A-Z][a-z]+(Error|Exception)\(|RecursionError")


# What the message for a hand-made kind must say (by kind prefix): the words a user needs.
EXPECT = {
    "utf16": "UTF-16", "utf32": "UTF-32", "latin1": "not UTF-8", "number-": "rank.priority", "nan-deep": "x: is NaN",
    "lone-surrogate-value": "name: holds a lone surrogate", "lone-surrogate-content": "content: holds a lone",
    "lone-surrogate-key": "field name with a lone surrogate", "depth-65": "levels deep", "depth-900": "levels deep",
    "depth-5000": "levels deep", "depth-100000": "levels deep", "depth-objects": "levels deep",
    "unclosed-brackets": "levels deep", "date-offset-99": "offset +99:99", "date-fullwidth": "digit",
    "date-feb30": "February 2026 has 28 days", "date-month13": "month 13", "date-hour25": "hour 25",
    "date-arabic-digit": "digit", "duplicate-keys": "more than once", "sparse-6MB": "5 MB", "array-1M": "5 MB",
    "fifo": "FIFO", "symlink-to-fifo": "FIFO", "directory": "directory", "device-/dev/zero": "device",
}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


# -- the hand-made kinds -------------------------------------------------------------------------------

def nested(depth: int, opener: str = "[") -> str:
    closer = "]" if opener == "[" else "}"
    inner = (opener + ('"k": ' if opener == "{" else "")) * (depth - 1)
    inner = "".join(opener + ('"k": ' if opener == "{" else "") for _ in range(depth - 1)) + "1" + closer * (depth - 1)
    return '{"name": "deep", "x": ' + inner + "}"


def handmade(folder: Path, devices: bool = True) -> list[tuple[str, Path]]:
    base = EXAMPLE.read_text()
    doc = json.loads(base)
    files: list[tuple[str, Path]] = []

    def add(kind: str, content: bytes | str) -> None:
        path = folder / f"{len(files):03d}-{kind}.json"
        path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
        files.append((kind, path))

    def with_field(kind: str, dotted: str, literal: str) -> None:
        copy = json.loads(base)
        target = copy
        keys = dotted.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = "@@HOLE@@"
        add(kind, json.dumps(copy, indent=2).replace('"@@HOLE@@"', literal))

    add("empty", b"")
    add("whitespace", b"  \n\t ")
    add("nul-bytes", b"\x00" * 64)
    add("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200))
    add("random-bytes", os.urandom(4096))
    add("utf16-le-bom", base.encode("utf-16"))
    add("utf16-be-bom", b"\xfe\xff" + base.encode("utf-16-be"))
    add("utf16-le-nobom", base.encode("utf-16-le"))
    add("utf16-be-nobom", base.encode("utf-16-be"))
    add("utf32", base.encode("utf-32"))
    add("latin1", base.replace("Hello!", "Café!").encode("latin-1"))
    add("utf8-bom", b"\xef\xbb\xbf" + base.encode())
    add("crlf", base.replace("\n", "\r\n"))
    add("truncated", base[: len(base) // 2])
    add("trailing-garbage", base + "\n}}}garbage")
    add("two-objects", base + base)
    add("top-list", "[" + base + "]")
    add("top-string", '"an offer"')
    add("top-null", "null")
    add("top-number", "42")
    add("top-true", "true")
    add("duplicate-keys", base.replace('"status": "draft",', '"status": "draft", "status": "approved",'))
    for literal in ("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" + "0" * 5000, "-" + "9" * 4301):
        with_field(f"number-{literal[:10]}", "rank.priority", literal)
    with_field("nan-deep", "representations.0.components.0.x", "NaN")
    with_field("float-priority", "rank.priority", "2.5")
    with_field("lone-surrogate-value", "name", '"Sale \\ud800"')
    with_field("lone-surrogate-content", "representations.0.components.0.content", '"<p>\\udfff</p>"')
    add("lone-surrogate-key", base.replace('"name"', '"\\ud834name"', 1))
    with_field("nul-in-name", "name", '"a\\u0000b"')
    with_field("escape-seq-name", "name", '"\\u001b]52;c;aGVsbG8=\\u0007\\u001b[2J"')
    with_field("control-key", "representations.0.components.0.\x1b[2Jkey", '"v"')
    for depth in (64, 65, 900, 5000, 100_000):
        add(f"depth-{depth}", nested(depth))
    add("depth-objects-2000", nested(2000, "{"))
    add("unclosed-brackets-1M", "[" * 1_000_000)
    for date_kind, value in (("offset-99", "2026-12-01T00:00:00.000+99:99"), ("fullwidth", "２０２６-12-01T00:00:00Z"),
                             ("feb30", "2026-02-30T00:00:00Z"), ("month13", "2026-13-01T00:00:00Z"),
                             ("year0", "0000-01-01T00:00:00Z"), ("hour25", "2026-12-01T25:00:00Z"),
                             ("no-offset", "2026-12-01T00:00:00"), ("date-only", "2026-12-01"),
                             ("arabic-digit", "2026-12-01T00:00:0٣Z"), ("number-date", 20261201)):
        with_field(f"date-{date_kind}", "selectionConstraint.startDate", json.dumps(value, ensure_ascii=False))
    big = dict(doc, pad="x" * (4 * 1024 * 1024))
    add("string-4MB", json.dumps(big))
    add("array-1M", json.dumps(dict(doc, many=list(range(1_000_000)))))
    sparse = folder / f"{len(files):03d}-sparse-6MB.json"
    with sparse.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    files.append(("sparse-6MB", sparse))
    fifo = folder / f"{len(files):03d}-fifo.json"
    os.mkfifo(fifo)
    files.append(("fifo", fifo))
    (folder / "a-directory.json").mkdir()
    files.append(("directory", folder / "a-directory.json"))
    loop = folder / "loop.json"
    os.symlink(loop, loop)
    files.append(("symlink-loop", loop))
    dangling = folder / "dangling.json"
    os.symlink(folder / "nowhere", dangling)
    files.append(("dangling-symlink", dangling))
    to_fifo = folder / "to-fifo.json"
    os.symlink(fifo, to_fifo)
    files.append(("symlink-to-fifo", to_fifo))
    files.append(("missing", folder / "missing.json"))
    files.append(("not-a-dir-parent", folder / "000-empty.json" / "x.json"))
    for device in ("/dev/zero", "/dev/null", "/dev/urandom", "/dev/stdin", "/dev/tty"):
        if devices and os.path.exists(device):
            files.append((f"device-{device}", Path(device)))
    return files


# -- random mutations -----------------------------------------------------------------------------------

TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "9" * 4400, "[" * 70, "{" * 70, '"\\ud800"', "null", "true",
          "[]", "{}", '"', ",", ":", "\x00", "\\", "\ufeff", "\u2028", "０", "-0", "1E+2", '"\\u0000"', "}", "]"]


def mutate(text: str, rng: random.Random) -> str:
    """One to four text-level or structure-level changes to a valid offer."""
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if choice < 0.25 and text:
            i = rng.randrange(len(text))
            text = text[:i] + chr(rng.randrange(0, 0x3000)) + text[i + 1:]
        elif choice < 0.45 and text:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + rng.randint(1, 40):]
        elif choice < 0.65:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif choice < 0.8 and text:
            i, j = sorted(rng.randrange(len(text)) for _ in range(2))
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = _mutate_structure(text, rng)
    return text


def _mutate_structure(text: str, rng: random.Random) -> str:
    try:
        doc = json.loads(text)
    except ValueError:
        return text
    paths: list[tuple[object, object]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, value in items:
            paths.append((node, key))
            stack.append(value)
    if not paths:
        return text
    holder, key = rng.choice(paths)
    holder[key] = rng.choice([None, True, 0, -1, 2**70, 1.5, "", "x" * 300, [], {}, [1, "a"], {"a": {"b": {}}},
                              "2026-02-30T00:00:00Z", "２０２６-01-01T00:00:00Z", "+99:99", "\u202e", "\x1b[2J"])
    return json.dumps(doc, ensure_ascii=rng.random() < 0.5)


# -- running one file --------------------------------------------------------------------------------

def run_validate(path: Path, timeout: float) -> dict:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    result = {"path": str(path), "crash": None, "hang": False}
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(["validate", str(path)])
    except Hang:
        result["hang"], code = True, None
    except BaseException as exc:  # noqa: BLE001 - the point is to catch everything
        result["crash"], code = f"{type(exc).__name__}: {str(exc)[:200]}", None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    result.update(code=code, seconds=time.perf_counter() - started, out=out.getvalue(), err=err.getvalue())
    if code not in (0, 1, None):
        result["crash"] = result["crash"] or f"exit code {code}"
    if "Traceback" in result["err"]:
        result["crash"] = result["crash"] or "traceback printed"
    message = result["err"] + result["out"]
    problems = []
    if code == 1 and not message.strip():
        problems.append("no message")
    if INTERNALS.search(message):
        problems.append("python internals: " + INTERNALS.search(message).group(0))
    if len(message) > 2000:
        problems.append(f"{len(message)} characters")
    if code == 1 and str(path) not in message and not message.startswith("error:"):
        problems.append("file not named")
    result["unclear"] = problems
    return result


def expectation(kind: str, message: str) -> list[str]:
    for prefix, words in EXPECT.items():
        if kind.startswith(prefix) and words not in message:
            return [f"does not say {words!r}"]
    return []


def check_loaders(path: Path, timeout: float, folder: Path) -> list[str]:
    """The --from loader and the draft reader on the same bytes: only OfferFileError may come out,
    and an accepted document must be valid strict JSON when validate says it is valid."""
    problems = []
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        try:
            doc = load_offer_file(path)
        except OfferFileError:
            doc = None
        if doc is not None and validate_offer(doc).ok:
            json.loads(to_json(doc).encode("utf-8").decode(),
                       parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        if path.is_file() and not path.is_symlink():
            drafts = folder / "drafts-check"
            target = drafts / "drafts"
            target.mkdir(parents=True, exist_ok=True)
            probe = b'{"doc": ' + path.read_bytes()[: 6 * 1024 * 1024] + b"}"
            store = DraftStore(drafts)
            if hasattr(store, "others"):  # one draft per instance (issue 7)
                (target / "probe.json").write_bytes(probe)
                store.others()
            else:  # the single draft.json of older versions
                (drafts / "draft.json").write_bytes(probe)
                store.load()
            for leftover in [*target.iterdir(), drafts / "draft.json"]:
                if leftover.exists():
                    leftover.unlink()
    except Hang:
        problems.append("loader hang")
    except BaseException as exc:  # noqa: BLE001
        problems.append(f"loader crash {type(exc).__name__}: {str(exc)[:120]}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return problems


def tui_sample(paths: list[tuple[str, Path]], timeout: float) -> list[str]:
    """Start the real app headless with --from on a few of the worst files: it must start, show an
    empty form with a message, and do so within the timeout."""
    import asyncio

    from offer_tui.ui.app import OfferTuiApp

    async def one(path: Path, state: Path) -> str | None:
        app = OfferTuiApp(from_file=str(path), draft_store=DraftStore(state), config_directory=state / "config",
                          demo=True)
        started = time.perf_counter()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.3)
            name = app.wizard.doc.get("name")
            notes = [str(n.message) for n in app._notifications]
        seconds = time.perf_counter() - started
        if seconds > timeout:
            return f"{path.name}: the TUI took {seconds:.1f} s"
        if name not in ("", None) and not any(str(path) in n for n in notes):
            return None  # a valid file loads: fine
        if not notes:
            return f"{path.name}: no message in the TUI"
        return None

    problems = []
    with tempfile.TemporaryDirectory() as state:
        for kind, path in paths:
            try:
                problem = asyncio.run(asyncio.wait_for(one(path, Path(state) / kind), timeout * 2))
            except BaseException as exc:  # noqa: BLE001
                problem = f"{path.name}: {type(exc).__name__}: {str(exc)[:120]}"
            if problem:
                problems.append(problem)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mutations", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--tui", type=int, default=6, help="also start the TUI with --from on this many hostile files")
    parser.add_argument("--show", type=int, default=10, help="print this many sample messages")
    parser.add_argument("--no-devices", action="store_true",
                        help="skip /dev/zero and friends (for a run against an old version that would read them forever)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    os.environ.setdefault("OFFER_TUI_STATE_DIR", tempfile.mkdtemp(prefix="sweep-state-"))
    os.environ.setdefault("OFFER_TUI_CONFIG_DIR", tempfile.mkdtemp(prefix="sweep-config-"))
    base = EXAMPLE.read_text()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = Path(tmp)
        files = handmade(folder, devices=not args.no_devices)
        for n in range(args.mutations):
            path = folder / f"mut-{n:04d}.json"
            path.write_bytes(mutate(base, rng).encode("utf-8", "surrogatepass"))
            files.append(("mutation", path))
        results = []
        started = time.perf_counter()
        for kind, path in files:
            result = run_validate(path, args.timeout)
            result["kind"] = kind
            result["unclear"] += expectation(kind, result["out"] + result["err"])
            result["loader"] = check_loaders(path, args.timeout, folder)
            results.append(result)
        total = time.perf_counter() - started
        tui_files = [(k, p) for k, p in files if k in ("fifo", "depth-5000", "depth-900", "sparse-6MB", "number-NaN",
                                                       "utf16-le-bom", "unclosed-brackets-1M", "device-/dev/zero")]
        tui_problems = tui_sample(tui_files[: args.tui], args.timeout) if args.tui else []

    crashes = [r for r in results if r["crash"]]
    hangs = [r for r in results if r["hang"]]
    unclear = [r for r in results if r["unclear"]]
    leaks = [r for r in results if r["loader"]]
    codes = Counter(r["code"] for r in results)
    hand = sum(1 for r in results if r["kind"] != "mutation")
    slowest = max(results, key=lambda r: r["seconds"])
    print(f"files tried: {len(results)} ({hand} hand-made kinds, {len(results) - hand} random mutations, seed {args.seed})")
    print(f"exit codes: {dict(sorted(codes.items(), key=lambda kv: str(kv[0])))}")
    print(f"crashes: {len(crashes)}   hangs (> {args.timeout:g} s): {len(hangs)}   unclear messages: {len(unclear)}   "
          f"loader/draft problems: {len(leaks)}")
    print(f"time: {total:.1f} s in all; slowest file {slowest['seconds']:.2f} s ({slowest['kind']})")
    if args.tui:
        print(f"TUI --from sample: {len(tui_files[: args.tui])} files, problems: {len(tui_problems)}")
    for label, group in (("CRASH", crashes), ("HANG", hangs), ("UNCLEAR", unclear), ("LOADER", leaks)):
        for r in group[:20]:
            detail = r["crash"] or r["unclear"] or r["loader"] or ""
            print(f"  {label} {r['kind']}: {detail} :: {(r['err'] or r['out']).strip()[:200]!r}")
    for problem in tui_problems:
        print(f"  TUI {problem}")
    if args.show:
        print(f"sample messages (the first {args.show} hand-made kinds):")
        for r in [r for r in results if r["kind"] != "mutation"][: args.show]:
            lines = (r["out"] + r["err"]).strip().splitlines() or [""]
            print(f"  {r['kind']:<26} exit {r['code']}: {lines[0][:160]}")
    return 1 if crashes or hangs or leaks or tui_problems else 0


if __name__ == "__main__":
    sys.exit(main())
