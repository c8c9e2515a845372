"""All of edukit's speed and memory figures in one command, each against the stack's floor.

    python benchmarks/run.py [--quick] [--rounds N] [--json PATH] [--only PART ...]

Prints a table (median, min, max; the floor's median, the ratio to it, the target and whether
it is met) and writes it as JSON with the machine's core count and load. PARTS: processes
(launch, one handout, each against its floor; handout: the handout rows alone), pdf (the app's Save as PDF in process),
export-all (the bundled library and 100 more lessons, every core), search (1,000 lessons:
queries, as you type, the first index build), switch (module switches, and memory over 50
switches and 20 exports through File > Print: benchmarks/memory.py).

The machine may be busy, so absolute times are noisy: each edukit measurement is taken right
after its floor's (floor, edukit, floor, edukit, ...) and the ratio is the median of those
pairs' ratios. Floors are bare PySide6 scripts doing only what edukit cannot avoid:
benchmarks/floor_launch.py (show a QWebEngineView painting the lesson's HTML) and
benchmarks/floor_pdf.py (setHtml + printToPdf of the handout's HTML).

Launch is `edukit open who-can-i-tell` as the command line runs it (benchmarks/viewer.py
child-launch), to the lesson painted: detected in the app and in its floor by the same
requestAnimationFrame probe (benchmarks/paint.py). The app keeps its last render on disk, so
the row is a start after the first; "launch, first ever" has no kept render.

--quick runs each measurement once on a small library and skips export-all (CI runs it so the
suite never rots; it asserts nothing about time).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
MODULE = "who-can-i-tell"
QUERIES = ["grooming", "trusted adult", "report", "sextortion help", "screensh", "nudes law",
           "childline", "deepfake", "live stream", "block"]
TYPED = ["sextortion", "trusted adult", "report remove", "livestream"]
# name: (target, what the target is compared with)
TARGETS = {
    "launch to painted lesson": (1.3, "ratio"),
    "one handout (CLI)": (1.15, "ratio"),
    "PDF in process, asked to tagged PDF": (150.0, "ms"),
    "PDF in process, asked to tagged PDF, printed before": (150.0, "ms"),
    "Save as PDF, click to file written": (150.0, "ms"),
    "Save as PDF, click once tagged": (150.0, "ms"),
    "export --all handouts, per module": (0.25, "s"),
    "export --all handouts, per module (125)": (0.25, "s"),
    "search p95": (5.0, "ms"),
    "search as you type p95": (16.0, "ms"),
    "first index build": (2.0, "s"),
    "first index build, CPU time": (2.0, "s"),
    "search p95, CPU time": (5.0, "ms"),
    "as you type p95, CPU time": (16.0, "ms"),
    "module switch": (100.0, "ms"),
    "memory at first paint (PSS)": (400.0, "MB"),
    "memory with one module open (PSS)": (400.0, "MB"),
    "memory growth, switches and exports": (10.0, "%"),
}


PARTS = ["processes", "handout", "pdf", "export-all", "search", "switch"]


def environment(tmp: Path) -> dict[str, str]:
    """A fresh user (no settings, no index) in tmp; this checkout's edukit first. Bytecode is
    kept (in tmp), as an installed edukit has it: with PYTHONDONTWRITEBYTECODE every process
    compiled edukit's ~90 modules from source, a cost only a checkout pays, and the floor not."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("CONFIG", "DATA", "CACHE"):
        env[f"EDUKIT_{name}_DIR"] = str(tmp / name.lower())
    return env


def pages(tmp: Path) -> tuple[Path, Path]:
    """The lesson's HTML as the app paints it and the handout's as it prints, CSS inlined."""
    from edukit.core.library import Library
    from edukit.core.pages import page_html
    from edukit.core.printing import PrintOptions, print_page
    from edukit.core.region import render_context
    from edukit.core.render import render
    from edukit.core.settings import load_school

    library = Library.default()
    module = library.resolve(MODULE)
    ctx = render_context(library, module, load_school())
    lesson, handout = tmp / "lesson.html", tmp / "handout.html"
    lesson.write_text(page_html(render(module, "lesson", ctx)), encoding="utf-8")
    handout.write_text(print_page(module, ctx, PrintOptions(kind="handout")), encoding="utf-8")
    return lesson, handout


def until_painted(args: list[str], env: dict[str, str]) -> tuple[float, ...]:
    """Seconds from spawning the process to its PAINTED line, and its RSS, PSS, CPU seconds
    (with its Chromium processes) and its own CPU seconds then."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    found = None
    for line in proc.stdout:
        if line.startswith("PAINTED") and found is None:
            found = (time.perf_counter() - start, *map(float, line.split()[1:5]))
    proc.wait(timeout=60)
    if found is None:
        raise RuntimeError(f"{args[0]} never painted (exit {proc.returncode})")
    return found


def whole_run(args: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Seconds the command took; its CPU seconds (with Chromium's processes) go to `cpu`.
    Waited for with a blocking wait: subprocess's wait with a time limit polls at most every
    50 ms, which rounded every run up to the next 50 ms step (a ratio of ~0.5 s runs moved by
    up to 10%); a run past 600 s is killed instead."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    limit = threading.Timer(600, proc.kill)
    limit.start()
    try:
        code = proc.wait()
    finally:
        limit.cancel()
    seconds = time.perf_counter() - start
    if code:
        raise subprocess.CalledProcessError(code, args)
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime)
    return seconds


def row(name: str, unit: str, values: list[float], floor: list[float] | None = None) -> dict:
    out = {"name": name, "unit": unit, "runs": len(values), "median": statistics.median(values),
           "min": min(values), "max": max(values), "values": values}
    if floor:
        out["floor_median"] = statistics.median(floor)
        out["ratio"] = statistics.median(v / f for v, f in zip(values, floor))
    target, of = TARGETS.get(name, (None, ""))
    if target is not None:
        measured = out.get("ratio") if of == "ratio" else out["median"]
        out.update(target=target, target_of=of, met=measured is not None and measured <= target)
    return out


def bench_processes(rounds: int, tmp: Path, env: dict[str, str],
                    launches: bool = True) -> list[dict]:
    """Launch and one handout, each against its floor (without `launches`: the handout only,
    `--only handout`)."""
    lesson, handout = pages(tmp)
    launch, launch_floor, cold, pdf, pdf_floor = [], [], [], [], []
    pdf_cpu, floor_cpu, pdf_cold, pdf_cold_cpu = [], [], [], []
    app = [str(HERE / "viewer.py"), "child-launch", MODULE]  # `edukit open MODULE`
    export = ["-m", "edukit", "export", MODULE, "--as", "handout", "--overwrite", "-o",
              str(tmp / "one.pdf")]
    if launches:
        until_painted(app, env)  # once before: a teacher's every start but the very first
        until_painted([str(HERE / "floor_launch.py"), str(lesson)], env)  # (bytecode for both)
    whole_run(export, env)  # the handout printed once before (its page kept)
    whole_run([str(HERE / "floor_pdf.py"), str(handout), str(tmp / "floor.pdf")], env)
    for n in range(rounds):  # interleaved: each pair meets the same load
        if launches:
            launch_floor.append(until_painted([str(HERE / "floor_launch.py"), str(lesson)], env))
            launch.append(until_painted(app, env))
            # the very first start: no render kept from an earlier run (a cache folder of its own)
            cold.append(until_painted(app, {**env, "EDUKIT_CACHE_DIR": str(tmp / f"cold-{n}")}))
        pdf_floor.append(whole_run([str(HERE / "floor_pdf.py"), str(handout),
                                    str(tmp / "floor.pdf")], env, floor_cpu))
        pdf.append(whole_run(export, env, pdf_cpu))
        # the first print ever: nothing kept from a run before (a cache folder of its own)
        pdf_cold.append(whole_run(export, {**env, "EDUKIT_CACHE_DIR": str(tmp / f"cold-pdf-{n}")},
                                  pdf_cold_cpu))
    rows = [] if not launches else [row("launch to painted lesson", "s", [t for t, *_ in launch],
                [t for t, *_ in launch_floor]),
            {**row("launch, CPU time to paint", "s", [r[3] for r in launch],
                   [r[3] for r in launch_floor]),
             "note": "the app's and its Chromium processes' CPU: what an idle machine follows"},
            {**row("launch, Python process CPU", "s", [r[4] for r in launch],
                   [r[4] for r in launch_floor]), "note": "the app's own process alone"},
            {**row("launch, first ever (no cache)", "s", [t for t, *_ in cold],
                   [t for t, *_ in launch_floor]), "note": "no render kept from a run before"},
            row("memory at first paint (PSS)", "MB", [r[2] for r in launch],
                [r[2] for r in launch_floor]),
            row("memory at first paint (RSS)", "MB", [r[1] for r in launch],
                [r[1] for r in launch_floor])]
    rows += [{**row("one handout (CLI)", "s", pdf, pdf_floor),
             "note": "printed before: its page kept from that run (core/render_cache.py)"},
            {**row("one handout (CLI), CPU time", "s", pdf_cpu, floor_cpu),
             "note": "CPU seconds of the process and its Chromium children: what a machine "
                     "that is not shared would wait for"},
            {**row("one handout (CLI), first ever", "s", pdf_cold, pdf_floor),
             "note": "nothing kept from a run before: rendered, YAML parsed"},
            row("one handout (CLI), first ever, CPU", "s", pdf_cold_cpu, floor_cpu)]
    return rows


def bench_export_all(tmp: Path, env: dict[str, str], rounds: int, generated: int) -> list[dict]:
    """`export --all` of the bundled library, and of it with `generated` more lessons; seconds
    per module written (all cores: one Chromium page per core)."""
    rows = []
    extra = generated_library(tmp / "export-all", generated)
    for name, args in (("export --all handouts, per module", []),
                       (f"export --all handouts, per module ({25 + generated})",
                        ["--content", str(extra)])):
        per_module = []
        for n in range(rounds):
            out = tmp / f"all-{len(args)}-{n}"
            seconds = whole_run([*["-m", "edukit"], *args, "export", "--all", "--as", "handout",
                                 "-o", str(out)], env)
            per_module.append(seconds / max(1, len(list(out.glob("*.pdf")))))
        rows.append({**row(name, "s", per_module), "note": f"{os.cpu_count()} pages at once"})
    return rows


def bench_pdf_in_process(env: dict[str, str], runs: int) -> list[dict]:
    """File > Print and Save as PDF with Qt WebEngine already running (benchmarks/
    pdf_in_process.py): the pages shown, the tagged PDF made, and Save as PDF clicked as the
    pages show until the file is written; for a lesson never printed (no render cache: both
    prints and the tagging each time) and for one printed before (the app's render cache);
    each against the stack's floor in the same process (setHtml + printToPdf, renderer up)."""
    def measured(*extra: str) -> dict:
        out = subprocess.run([sys.executable, str(HERE / "pdf_in_process.py"), "--runs",
                              str(runs), *extra], env=env, check=True, capture_output=True,
                             text=True, timeout=600).stdout
        return json.loads(out.strip().splitlines()[-1])
    fresh, kept = measured(), measured("--kept")
    return [{**row("print preview, asked to pages shown", "ms", fresh["shown_ms"]),
             "note": "Chromium's first print on screen; first PDF (renderer starting) "
                     f"{fresh['first_ms']:.0f} ms, not counted"},
            {**row("PDF in process, asked to tagged PDF", "ms", fresh["tagged_ms"],
                   fresh["floor_ms"]),
             "note": "a lesson never printed: both prints and the tagging"},
            {**row("PDF in process, asked to tagged PDF, printed before", "ms",
                   kept["tagged_ms"], kept["floor_ms"]),
             "note": "the app's render cache: the finished PDF kept for this very print"},
            {**row("in process floor: setHtml + printToPdf", "ms", fresh["floor_ms"]),
             "note": "a bare QWebEnginePage, its renderer running, in the same process"},
            {**row("Save as PDF, click to file written", "ms", fresh["save_ms"]),
             "note": "clicked the moment the pages show (waits for the tags); the file "
                     "dialog's time left out"},
            {**row("Save as PDF, click once tagged", "ms", fresh["save_ready_ms"]),
             "note": "clicked after the tags are made, as after choosing a file name"}]


def typed_prefixes() -> list[str]:
    """What the search box holds after each keystroke of TYPED."""
    return [word[:n] for word in TYPED for n in range(1, len(word) + 1)]


def generated_library(tmp: Path, count: int) -> Path:
    """count lessons (copies of the bundled ones under new ids) in a content folder."""
    from edukit.core.library import Library

    bundled = Library.default().modules
    root = tmp / "generated"
    for n in range(count):
        source = bundled[n % len(bundled)]
        folder = root / "modules" / f"{source.id}-{n}"
        folder.mkdir(parents=True)
        text = source.path.read_text(encoding="utf-8").replace(f"id: {source.id}\n", "")
        (folder / "module.md").write_text(text, encoding="utf-8")
    return root


def bench_search(tmp: Path, count: int, queries: int) -> list[dict]:
    from edukit.core.library import Library
    from edukit.core.search import SearchIndex

    library = Library.default(extra=[generated_library(tmp, count)])
    modules = library.modules
    index = SearchIndex(tmp / "search.sqlite3")
    start, cpu = time.perf_counter(), time.process_time()
    index.refresh(modules)
    build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    index.refresh(modules)
    unchanged = time.perf_counter() - start
    asked = [QUERIES[n % len(QUERIES)] for n in range(queries)]
    whole, whole_cpu = timed_ms([lambda q=query: index.search(q, as_you_type=False)
                                 for query in asked])
    # as the search box asks: 20 results, the library's filters checked (here they show all)
    typed, typed_cpu = timed_ms([lambda q=prefix: index.search(q, limit=20, accepts=bool)
                                 for prefix in typed_prefixes()])
    index.close()
    label = f" ({len(modules)} modules)"
    return [{**row("search p95", "ms", whole), "median": p95(whole), "note": "median column is p95" + label},
            {**row("search as you type p95", "ms", typed), "median": p95(typed),
             "note": "every keystroke of " + ", ".join(TYPED) + label},
            row("search median", "ms", whole),
            {**row("search p95, CPU time", "ms", whole_cpu), "median": p95(whole_cpu),
             "note": "process CPU time: what a machine that is not shared would see"},
            {**row("as you type p95, CPU time", "ms", typed_cpu), "median": p95(typed_cpu)},
            row("first index build", "s", [build]),
            row("first index build, CPU time", "s", [build_cpu]),
            row("unchanged index refresh", "ms", [unchanged * 1000])]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def timed_ms(works: list) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each piece of work."""
    wall, cpu = [], []
    for work in works:
        start, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def fix_targets(rows: list[dict]) -> None:
    for r in rows:
        target, of = TARGETS.get(r["name"], (None, ""))
        if target is not None and of != "ratio":
            r["met"] = r["median"] <= target


def child_switch(switches: int, exports: int) -> None:
    """Runs in its own process: switch modules and print through File > Print in a real window
    (benchmarks/memory.py); print the times and memory as JSON."""
    from memory import growth_run

    print(json.dumps(growth_run(switches, exports)))


def bench_switch(env: dict[str, str], switches: int, exports: int) -> list[dict]:
    command = [sys.executable, __file__, "--child-switch", str(switches), "--exports", str(exports)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True,
                         timeout=1800).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return [row("module switch", "ms", found["switch_ms"]),
            {**row("memory with one module open (PSS)", "MB", [found["pss_before_mb"]]),
             "note": f"RSS {found['rss_one_module_mb']:.0f} MB (pages shared by Chromium's "
                     "processes counted in each)"},
            {**row("memory growth, switches and exports", "%", [found["growth_percent"]]),
             "note": f"own memory {found['own_before_mb']:.0f} -> {found['own_after_mb']:.0f} MB "
                     f"(PSS {found['pss_before_mb']:.0f} -> {found['pss_after_mb']:.0f}) over "
                     f"{switches} switches and {exports} exports, in % of the PSS before "
                     f"(switches alone {found['switch_growth_percent']:.1f}%; benchmarks/memory.py)"}]


def table(rows: list[dict]) -> str:
    lines = [(f"{'measure':40} {'unit':>4} {'median':>9} {'min':>9} {'max':>9} {'floor':>9} "
              f"{'ratio':>6} {'target':>8} met")]
    for r in rows:
        floor = f"{r['floor_median']:9.3f}" if "floor_median" in r else " " * 9
        ratio = f"{r['ratio']:5.2f}x" if "ratio" in r else " " * 6
        target = ""
        if "target" in r:
            limit = f"≤{r['target']:g}{'x' if r['target_of'] == 'ratio' else ''}"
            target = f"{limit:>8} {'yes' if r['met'] else 'NO'}"
        lines.append(f"{r['name']:40} {r['unit']:>4} {r['median']:9.3f} {r['min']:9.3f} "
                     f"{r['max']:9.3f} {floor} {ratio} {target}".rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="each measure once, small library")
    parser.add_argument("--rounds", type=int, help="floor/edukit pairs per process measure")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--only", choices=PARTS, action="append")
    parser.add_argument("--child-switch", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--exports", type=int, default=20, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_switch is not None:
        child_switch(args.child_switch, args.exports)
        return 0
    only = set(args.only or PARTS)
    rounds = args.rounds or (1 if args.quick else 7)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="edukit-bench-") as folder:
        tmp = Path(folder)
        env = environment(tmp)
        os.environ.update({k: v for k, v in env.items() if k.startswith("EDUKIT_")})
        if "processes" in only:
            rows += bench_processes(rounds, tmp, env)
        elif "handout" in only:
            rows += bench_processes(rounds, tmp, env, launches=False)
        if "pdf" in only:
            rows += bench_pdf_in_process(env, 2 if args.quick else 15)
        if "export-all" in only and not args.quick:  # minutes: not in CI's quick pass
            rows += bench_export_all(tmp, env, 1, 100)
        if "search" in only:
            rows += bench_search(tmp, 40 if args.quick else 1000, 10 if args.quick else 300)
        if "switch" in only:
            rows += bench_switch(env, 3 if args.quick else 50, 1 if args.quick else 20)
    fix_targets(rows)
    machine = {"cores": os.cpu_count(), "load_average": os.getloadavg(), "quick": args.quick,
               "rounds": rounds, "python": sys.version.split()[0]}
    print(f"cores {machine['cores']}, load average {machine['load_average'][0]:.1f}, "
          f"{rounds} interleaved rounds{' (quick)' if args.quick else ''}")
    print(table(rows))
    args.json.write_text(json.dumps({"machine": machine, "rows": rows}, indent=1) + "\n",
                         encoding="utf-8")
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
