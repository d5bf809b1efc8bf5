"""Speed benchmark: clinicpress against a floor, a bare Python start and (if installed) cspell.

    python benchmarks/run.py [--articles 1000] [--repeat 5] [--big 0] [--seed 1] [--keep]

Every measurement is a fresh subprocess, timed wall-clock; the table shows medians over --repeat
runs and peak RSS. The table is printed, written to benchmarks/results.md and copied into
benchmarks/README.md between the results markers. See benchmarks/README.md for what each row means.
Needs Linux or macOS (per-child peak memory comes from os.wait4).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_corpus import generate  # noqa: E402

PYTHON = sys.executable
RESULTS = HERE / "results.md"
README = HERE / "README.md"
START_MARK, END_MARK = "<!-- results:start -->", "<!-- results:end -->"
CACHE_DIR = ".clinicpress_cache"
GIB = 1024**3

# The floor: the least any linter written in Python must do (start, walk, read, split into words).
FLOOR = r"""
import os, re, sys
word = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
count = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".md"):
            with open(os.path.join(root, name), encoding="utf-8") as handle:
                count += len(word.findall(handle.read()))
print(count)
"""


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    peak_rss: int = 0  # bytes, the largest over the runs
    failure: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and not self.failure else None


@dataclass
class Row:
    name: str
    sample: Sample
    reference: Sample | None = None  # the ratio column divides by this row's median
    target: str = "—"
    checks: list[tuple[str, bool | None]] = field(default_factory=list)  # (label, met); None: not judged

    @property
    def ratio(self) -> float | None:
        return ratio(self.sample, self.reference) if self.reference else None


def ratio(sample: Sample, reference: Sample) -> float | None:
    if sample.median is None or not reference.median:
        return None
    return sample.median / reference.median


def timed_run(command: Sequence[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> tuple[float, int, str | None]:
    """(wall seconds, peak RSS in bytes, failure) of one run in a fresh process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, stdin=subprocess.DEVNULL)
        # wait4 rather than RUSAGE_CHILDREN: the latter is a high-water mark over every child so far,
        # so a big run would hide the memory of every later, smaller one.
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        if code in ok_codes:
            return elapsed, rss, None
        errors.seek(0)
        lines = errors.read().decode(errors="replace").strip().splitlines()
        return elapsed, rss, f"exit {code}: {lines[-1] if lines else '(no message)'}"


def measure(
    command: Sequence[str], cwd: Path, repeat: int, ok_codes: tuple[int, ...] = (0,), before=None
) -> Sample:
    sample = Sample()
    for _ in range(repeat):
        if before:
            before()
        seconds, rss, failure = timed_run(command, cwd, ok_codes)
        if failure:
            sample.failure = failure
            break
        sample.seconds.append(seconds)
        sample.peak_rss = max(sample.peak_rss, rss)
    return sample


def capture(command: Sequence[str], cwd: Path | None = None, timeout: float = 60) -> str | None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "npm_config_offline": "true"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_clinicpress() -> str:
    # The script next to this interpreter is the one installed into the same environment.
    beside = Path(PYTHON).with_name("clinicpress")
    found = str(beside) if beside.exists() else shutil.which("clinicpress")
    if not found:
        sys.exit("clinicpress is not installed in this environment (pip install -e . first)")
    return found


def find_cspell() -> tuple[str | None, str | None]:
    """(path of a local cspell, its version), or (None, None) when it is not installed locally."""
    for base in (HERE, HERE.parent):
        local = base / "node_modules" / ".bin" / "cspell"
        if local.exists() and shutil.which("npx"):
            version = capture(["npx", "--no-install", "cspell", "--version"], cwd=base)
            if version:
                return str(local), version
    return None, None


def prepare_corpus(count: int, seed: int, keep: bool, scratch: Path) -> tuple[Path, str]:
    """A corpus of ``count`` articles and a note on where it came from."""
    kept = HERE / f".corpus-{count}"
    stamp = kept / ".generated"
    if kept.is_dir():
        have = sum(1 for _ in kept.rglob("*.md"))
        recorded = stamp.read_text().split() if stamp.exists() else []
        if have == count and (not recorded or recorded == [str(count), str(seed)]):
            return kept, f"reused {kept.relative_to(HERE.parent)}"
        seed_note = recorded[1] if len(recorded) > 1 else "unknown"
        print(f"note: {kept} holds {have} articles (seed {seed_note}); not reusing it", file=sys.stderr)
        if keep:
            shutil.rmtree(kept)
    target = kept if keep else scratch / f"corpus-{count}"
    start = time.perf_counter()
    size = generate(target, count, seed)
    elapsed = time.perf_counter() - start
    if keep:
        stamp.write_text(f"{count} {seed}\n")
    where = target.relative_to(HERE.parent) if keep else "a temporary directory"
    return target, f"generated into {where} in {elapsed:.1f} s ({size / 1e6:.1f} MB)"


def fmt_seconds(sample: Sample) -> str:
    if sample.failure:
        return "failed"
    return f"{sample.median:.3f}" if sample.median is not None else "—"


def fmt_rss(sample: Sample) -> str:
    return f"{sample.peak_rss / 2**20:.0f}" if sample.peak_rss and not sample.failure else "—"


def fmt_met(row: Row) -> str:
    if row.sample.failure:
        return "NO (failed)"
    judged = [(label, met) for label, met in row.checks if met is not None]
    if not judged:
        return "—"
    missed = [label for label, met in judged if not met]
    return "yes" if not missed else "NO: " + ", ".join(missed)


def table(rows: list[Row]) -> str:
    lines = [
        "| measurement | median s | peak RSS MiB | ratio | target | met? |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        shown = f"{row.ratio:.2f}x" if row.ratio is not None else "—"
        lines.append(f"| {row.name} | {fmt_seconds(row.sample)} | {fmt_rss(row.sample)} | {shown} | {row.target} | {fmt_met(row)} |")
    return "\n".join(lines)


def within(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="corpus size for the main rows [1000]")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is reported [5]")
    parser.add_argument("--big", type=int, default=0, help="also lint N and N/10 articles cold (linearity, memory)")
    parser.add_argument("--big-repeat", type=int, default=1, help="runs per --big measurement [1]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="generate into benchmarks/.corpus-N for reuse")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md and README.md alone")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1 or args.big < 0 or (args.big and args.big < 10):
        parser.error("--articles and --repeat must be >= 1, and --big 0 or >= 10")

    clinicpress = find_clinicpress()
    version = capture([clinicpress, "--version"]) or "unknown"
    lint_help = capture([clinicpress, "lint", "--help"]) or ""
    has_no_cache = "--no-cache" in lint_help
    cspell, cspell_version = find_cspell()
    notes: list[str] = []

    with tempfile.TemporaryDirectory(prefix="clinicpress-bench-") as scratch_name:
        scratch = Path(scratch_name)
        # Lint runs start in an empty directory of their own: no clinicpress.yaml from the
        # repository applies (the default rule pack, every check on), and the results cache
        # they write cannot touch anybody's working tree.
        work = scratch / "work"
        work.mkdir()
        corpus, origin = prepare_corpus(args.articles, args.seed, args.keep, scratch)
        notes.append(f"corpus: {args.articles} articles, seed {args.seed}, {origin}")
        one_article = min(corpus.rglob("*.md"))

        def drop_cache() -> None:
            for place in (work / CACHE_DIR, corpus / CACHE_DIR):
                shutil.rmtree(place, ignore_errors=True)

        lint = [clinicpress, "lint", str(corpus), "--format", "json"]
        if has_no_cache:
            cold_command, cold_before = [*lint, "--no-cache"], None
        else:
            cold_command, cold_before = lint, drop_cache
            notes.append(f"`clinicpress lint` has no --no-cache yet: cold runs delete {CACHE_DIR}/ before each run instead")
        lint_ok = (0, 1)  # 1 means findings, which this corpus is built to have

        # Untimed: fills the page cache with the corpus and the interpreter with compiled bytecode,
        # so the first timed run of each row is not the odd one out.
        timed_run([PYTHON, "-c", FLOOR, str(corpus)], work)
        timed_run([clinicpress, "--version"], work)

        print(f"measuring ({args.repeat} runs each) …", file=sys.stderr)
        bare = measure([PYTHON, "-c", "pass"], work, args.repeat)
        floor = measure([PYTHON, "-c", FLOOR, str(corpus)], work, args.repeat)
        cold = measure(cold_command, work, args.repeat, lint_ok, cold_before)
        timed_run(lint, work, lint_ok)  # the priming run for the warm rows
        warm = measure(lint, work, args.repeat, lint_ok)
        one = measure([clinicpress, "lint", str(one_article)], work, args.repeat, lint_ok)

        at_1000 = args.articles == 1000
        rows = [
            Row("bare Python start (`python -c pass`)", bare),
            Row(f"floor: read + split words, {args.articles} articles", floor, floor),
            Row(f"clinicpress lint cold (--no-cache), {args.articles} articles", cold, floor,
                "≤ 3 s at 1,000; ≤ 12x floor",
                [("> 3 s", within(cold.median, 3.0) if at_1000 else None), ("> 12x floor", within(ratio(cold, floor), 12))]),
            Row(f"clinicpress lint warm, {args.articles} articles", warm, floor,
                "≤ 0.5 s at 1,000; ≤ 2.5x floor",
                [("> 0.5 s", within(warm.median, 0.5) if at_1000 else None), ("> 2.5x floor", within(ratio(warm, floor), 2.5))]),
            Row("clinicpress lint, one article", one, bare, "≤ 0.25 s; ≤ 3x bare start",
                [("> 0.25 s", within(one.median, 0.25)), ("> 3x bare start", within(ratio(one, bare), 3))]),
        ]
        if not has_no_cache:
            notes.append("warm equals cold while the CLI keeps no results cache")

        if cspell:
            # The binary directly: `npx` would add npm's own start-up (~0.3 s) to cspell's time.
            spell = measure([cspell, "lint", "--no-progress", "--no-summary", "--no-color", "--no-cache",
                             "--no-config-search", "**/*.md"], corpus, args.repeat, (0, 1))
            rows.append(Row(f"cspell {cspell_version} (no cache), {args.articles} articles", spell, floor))
        else:
            notes.append("cspell row skipped: not installed locally. Install it with `cd benchmarks && npm install` "
                         "(package.json pins cspell; `npm install cspell` also works)")

        if args.big:
            small_n = args.big // 10
            big_rows: list[Row] = []
            samples: dict[int, tuple[Sample, Sample]] = {}
            for n in (small_n, args.big):
                big_corpus, big_origin = prepare_corpus(n, args.seed, args.keep, scratch)
                notes.append(f"big corpus: {n} articles, {big_origin}")
                print(f"measuring {n} articles ({args.big_repeat} run(s)) …", file=sys.stderr)
                timed_run([PYTHON, "-c", FLOOR, str(big_corpus)], work)
                big_floor = measure([PYTHON, "-c", FLOOR, str(big_corpus)], work, args.big_repeat)
                big_lint = [clinicpress, "lint", str(big_corpus), "--format", "json"]
                big_cold = measure([*big_lint, "--no-cache"] if has_no_cache else big_lint, work, args.big_repeat,
                                   lint_ok, None if has_no_cache else drop_cache)
                samples[n] = (big_floor, big_cold)
                if big_corpus.parent == scratch:
                    shutil.rmtree(big_corpus, ignore_errors=True)  # 100,000 articles is ~300 MB of /tmp
            small_floor, small_cold = samples[small_n]
            big_floor, big_cold = samples[args.big]
            big_rows.append(Row(f"floor, {small_n} articles", small_floor, small_floor))
            big_rows.append(Row(f"floor, {args.big} articles", big_floor, small_floor, "ratio to the floor at N/10"))
            big_rows.append(Row(f"clinicpress lint cold, {small_n} articles", small_cold, small_floor, "≤ 12x floor",
                                [("> 12x floor", within(ratio(small_cold, small_floor), 12))]))
            linear = Row(f"clinicpress lint cold, {args.big} articles", big_cold, small_cold,
                         f"≤ 12x the N/10 run (linear: 10x); ≤ 1 GiB{'' if args.big >= 100_000 else ' (set at 100,000)'}")
            linear.checks = [("superlinear", within(linear.ratio, 12)),
                             ("> 1 GiB", None if big_cold.failure else big_cold.peak_rss <= GIB)]
            big_rows.append(linear)
            rows += big_rows

    for row in rows:
        if row.sample.failure:
            notes.append(f"{row.name}: {row.sample.failure}")
    notes.append("ratio: to the floor row; one article: to the bare Python start; the N-article big rows: to the N/10 run")
    if not at_1000:
        notes.append("the absolute targets are set for 1,000 articles, so only the ratios are judged at this size")

    header = [
        "# clinicpress speed benchmark",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"- clinicpress: {version.split()[-1] if version else 'unknown'}; cspell: {cspell_version or 'not installed'}",
        f"- command: `python benchmarks/run.py {' '.join(argv if argv is not None else sys.argv[1:])}` "
        f"(medians of {args.repeat} runs{f', big rows {args.big_repeat}' if args.big else ''})",
        "",
    ]
    report = "\n".join(header + [table(rows), ""] + [f"- {note}" for note in notes]) + "\n"
    print(report)
    if not args.no_write:
        RESULTS.write_text(report)
        update_readme(report)
    return 1 if any(row.sample.failure for row in rows) else 0


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return re.sub(r"\s+", " ", line.split(":", 1)[1]).strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def update_readme(report: str) -> None:
    """Put the latest table into README.md between the results markers (without its title)."""
    if not README.exists():
        return
    text = README.read_text()
    if START_MARK not in text or END_MARK not in text:
        return
    body = report.split("\n", 2)[2].strip()  # drop the "# clinicpress speed benchmark" title
    before, rest = text.split(START_MARK, 1)
    after = rest.split(END_MARK, 1)[1]
    README.write_text(f"{before}{START_MARK}\n{body}\n{END_MARK}{after}")


if __name__ == "__main__":
    sys.exit(main())
