"""Benchmark: opening (and saving) hostile project files — time and peak memory, each case in its own process.

Cases: a cell holding ``1e999999999`` (9 bytes), a 5000-digit integer in an unknown key, JSON nested
100 000 levels deep, ``Infinity``, and a 1 MB file of fractions in unknown keys (load + save). The floor is the
same measurement on the sample report (``resources/samples/demo.nianbao``), in the same run.

Each case runs in a fresh interpreter under a memory cap (``--cap-mb``, default 3000) and a time limit
(``--timeout``, default 60 s); a case that exceeds either is reported as such. Medians over ``--runs`` runs.
Run: python bench/bench_project_hostile.py [--root OTHER_CHECKOUT]   (``--root`` measures another checkout, e.g.
an older version, side by side)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import resource, sys, time, json
cap = int(sys.argv[3]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from app import project
from app.formats import load_format
load_format("gov-2021")  # the format data is read once per process; not part of what is measured
t = time.perf_counter()
try:
    r = project.load(sys.argv[1])
    if sys.argv[2] == "save":
        project.save(r, sys.argv[1] + ".out.nianbao", backup=False)
    outcome = "ok"
except project.ProjectError as e:
    outcome = "message"
except MemoryError:
    outcome = "MemoryError"
except BaseException as e:
    outcome = type(e).__name__
dt = time.perf_counter() - t
print(json.dumps({"s": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "outcome": outcome}))
"""


def cases(folder: Path) -> dict[str, tuple[Path, str]]:
    demo = (ROOT / "resources" / "samples" / "demo.nianbao").read_text(encoding="utf-8")
    out = {}

    def put(name, text, mode="load"):
        p = folder / f"{name}.nianbao"
        p.write_text(text, encoding="utf-8")
        out[name] = (p, mode)

    put("floor: sample report", demo)
    put("cell 1e999999999", '{"format": "gov-2021", "values": {"t3.new.natural": 1e999999999}}')
    put("unknown key: 5000-digit integer", '{"format": "gov-2021", "x": ' + "9" * 5000 + "}")
    put("nesting 100000 deep", '{"format": "gov-2021", "x": ' + "[" * 100000 + "]" * 100000 + "}")
    put("Infinity", '{"format": "gov-2021", "x": Infinity}')
    data = json.loads(demo)
    data["x_tool"] = [{"w": 0.1 + i, "e": "1e-7"} for i in range(40000)]
    put("floor: sample report, save", demo, "save")
    put("1 MB of fractions in unknown keys, save", json.dumps(data, ensure_ascii=False), "save")
    return out


def run_case(root: Path, path: Path, mode: str, cap_mb: int, timeout: float) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, str(path), mode, str(cap_mb)], capture_output=True,
                           text=True, timeout=timeout, env=env, cwd=root, check=False)
    except subprocess.TimeoutExpired:
        return {"s": timeout, "rss_mb": float("nan"), "outcome": f"> {timeout:.0f} s (killed)"}
    try:
        return json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"s": float("nan"), "rss_mb": float("nan"), "outcome": f"died (exit {p.returncode})"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", action="append", help="checkout(s) to measure (default: this one)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cap-mb", type=int, default=3000)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    roots = [Path(r) for r in args.root] if args.root else [ROOT]
    with tempfile.TemporaryDirectory() as tmp:
        table = cases(Path(tmp))
        print(f"{'case':42} " + " ".join(f"{r.name[:28]:>40}" for r in roots))
        for name, (path, mode) in table.items():
            cells = []
            for root in roots:
                runs = [run_case(root, path, mode, args.cap_mb, args.timeout) for _ in range(args.runs)]
                s = statistics.median(r["s"] for r in runs)
                mb = statistics.median(r["rss_mb"] for r in runs)
                cells.append(f"{s * 1000:9.1f} ms {mb:7.0f} MB {runs[0]['outcome'][:16]:>16}")
            print(f"{name:42} " + " ".join(f"{c:>40}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
