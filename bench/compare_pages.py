"""Pages before and after a change, measured side by side in one run (issue 15: "the bench shows no slower pages").

    python bench/compare_pages.py                         # the commit before the command-and-policy layer vs this tree
    python bench/compare_pages.py --base <rev> --requests 20000 --rounds 3 --out /tmp/compare.md
    python bench/compare_pages.py --base 013ffed^1 --head 013ffed       # the layer's merge alone: before vs after

The base revision is unpacked from git into a temporary folder (`git archive`), so both trees run with the same
virtualenv, the same database servers and the same machine. Each tree generates its own data with its own
`bench/generate.py` (the schema differs between them) at the same size, then the trees take turns: base, this
tree, base, this tree, ... each turn a fresh process measuring every page of its own bench (`bench/run.py`'s
`measure_pages`, the pages themselves taking turns). A slow spell of the machine falls on both alike; the report
gives, for the pages both trees have, the median over the turns of each turn's p50 and p95, the ratio this tree /
base, and the SQL statements each page sends, with the calibration loop's time in each turn beside them.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The parent of 5a1489c, "One command-and-policy layer" (issue 15): the last tree before the layer.
LAYER_BASE = "5a1489c^"

# Run inside a tree (its own folder first on sys.path): generate a database, or measure its pages.
WORKER = r"""
import json, sys
sys.path.insert(0, ".")
import bench.run as run
from extensions import db
fresh_app = getattr(run, "fresh_app", None)
if fresh_app is None:
    from bench.generate import fresh_app
mode, kind, argument = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "generate":
    from bench.generate import generate
    url = run.fresh_database(kind, argument, "compare")
    app = fresh_app(url)
    with app.app_context():
        generate(int(sys.argv[4]), 0)
        run.settle(kind)
        db.engine.dispose()
    print("URL=" + url)
else:
    if sys.argv[5] == "cpu":
        import time
        time.perf_counter = time.process_time  # the tree's measure_pages reads its clock from here
    app = fresh_app(argument)
    result = run.measure_pages(app, repeats=int(sys.argv[4]))
    with app.app_context():
        db.engine.dispose()
    print("RESULT=" + json.dumps(result))
"""


def unpack(rev, folder, name):
    """The tree at `rev`, as files (no git state), in `folder`/`name`."""
    archive = Path(folder) / f"{name}.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), rev], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(Path(folder) / name, filter="data")
    return Path(folder) / name


def worker(tree, *args):
    env = dict(os.environ, PYTHONPATH=str(tree), S26_ENV="testing")
    done = subprocess.run(
        [sys.executable, "-c", WORKER, *map(str, args)], cwd=tree, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"{tree}: {' '.join(map(str, args[:2]))} failed:\n{done.stderr[-3000:]}")
    for line in done.stdout.splitlines():
        if line.startswith(("URL=", "RESULT=")):
            return line.split("=", 1)[1]
    sys.exit(f"{tree}: no answer from {args[0]}:\n{done.stdout[-2000:]}")


def drop(url):
    if "search_path" not in url:
        return
    import psycopg

    schema = url.rsplit("%3D", 1)[1]
    base = url.split("?", 1)[0].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def compare(kind, trees, args, folder):
    urls = {}
    try:
        for name, tree in trees.items():
            data = Path(folder) / f"{kind}-{name}"
            data.mkdir()
            urls[name] = worker(tree, "generate", kind, data, args.requests)
        turns = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                turns[name].append(json.loads(worker(tree, "measure", kind, urls[name], args.repeats, args.clock)))
    finally:
        for url in urls.values():
            drop(url)
    return turns


def summarise(turns):
    """For the pages both trees measure: the fastest turn's p50 (least disturbed by other work on the machine),
    the median turn's p50 and p95, and the SQL statements."""
    common = [page for page in turns["this tree"][0] if page in turns["base"][0] and page != "calibration"]
    rows = []
    for page in common + ["calibration"]:
        figure = {}
        for name in ("base", "this tree"):
            p50s = [turn[page]["p50"] for turn in turns[name]]
            figure[name] = {
                "min": min(p50s),
                "p50": statistics.median(p50s),
                "p95": statistics.median(turn[page]["p95"] for turn in turns[name]),
                "queries": turns[name][0][page].get("queries"),
            }
        rows.append((page, figure))
    return rows


def short(rev):
    return subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def report(results, args, base_commit, head):
    lines = [
        "# Pages before and after the command-and-policy layer (issue 15)",
        "",
        f"Written by `python bench/compare_pages.py --base {args.base}"
        + (f" --head {args.head}" if args.head else "")
        + f"`: base = `{base_commit}`, this tree = {head}; "
        f"{args.requests:,} requests, {args.rounds} turns per tree, {args.repeats} requests per page per turn; "
        "each tree with its own generated data; the trees take turns. Figures are the median over the turns of "
        f"{'CPU time of the app process' if args.clock == 'cpu' else 'server time'} in-process (ms): the fastest turn's p50, and the median over the turns of each turn's p50 "
        "and p95. The ratio is this tree / base, of the fastest p50 and of the median p50. `calibration` is a "
        "fixed pure-Python loop timed between page requests: where it differs between the trees, the machine's "
        "speed moved, not the code.",
        "",
    ]
    for kind, turns in results.items():
        lines += [
            f"## {kind}",
            "",
            "| page | base: fastest p50 · p50 / p95 | this tree: fastest p50 · p50 / p95 | ratio: fastest · median "
            "| SQL statements base / this tree |",
            "|---|---|---|---|---|",
        ]
        for page, figure in summarise(turns):
            before, after = figure["base"], figure["this tree"]
            queries = " / ".join("-" if side["queries"] is None else str(side["queries"]) for side in (before, after))
            lines.append(
                f"| {page} | {before['min']:.1f} · {before['p50']:.1f} / {before['p95']:.1f} "
                f"| {after['min']:.1f} · {after['p50']:.1f} / {after['p95']:.1f} "
                f"| {after['min'] / before['min']:.2f} · {after['p50'] / before['p50']:.2f} | {queries} |"
            )
        lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default=LAYER_BASE, help="the git revision to compare this tree with")
    parser.add_argument("--head", help="a git revision to measure instead of this working tree")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu: the app process's CPU time (what a busy machine disturbs least; on PostgreSQL the server's own "
        "time is not in it); wall: elapsed time, as bench/run.py reports",
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--out", default=str(ROOT / "bench" / "PAGES-COMPARED.md"))
    args = parser.parse_args()
    base_commit = short(args.base)
    head = f"`{short(args.head)}`" if args.head else "this working tree"
    results = {}
    with tempfile.TemporaryDirectory(prefix="s26-compare-") as folder:
        trees = {
            "base": unpack(args.base, folder, "base"),
            "this tree": unpack(args.head, folder, "head") if args.head else ROOT,
        }
        for kind in args.databases.split(","):
            print(f"{kind}: generating {args.requests:,} requests in each tree, then {args.rounds} turns each")
            results[kind] = compare(kind, trees, args, folder)
    text = report(results, args, base_commit, head)
    Path(args.out).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
