"""Two processes save one project file at the same moment: in how many rounds do both say "saved"?

Each round, two long-lived child processes read the same version of the file, each changes a different cell, and
both save at one agreed instant (a busy wait on the wall clock). A round where both say "saved" lost one change
silently (it survives only in the ``.bak``). Two ways of saving are compared, in the same run:

- ``compare-then-save``: what the window did before app/session.py — compare the file's fingerprint with the one
  read, then ``project.save`` (no lock taken for the save; the second window had been opened "anyway");
- ``session``: ``app.session.Session.save`` on sessions opened read-only (the worst case for it: neither holds
  the file's lock beforehand, both take it at the same moment).

Run: python bench/bench_save_race.py [--rounds 20]
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "wuzhong-minzheng-2023.nianbao"

CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from app import project
from app.session import Conflict, Locked, Session
path, cell, mode = sys.argv[2], sys.argv[3], sys.argv[4]
print("ready", flush=True)
for line in sys.stdin:
    rnd, at = line.split()
    if mode == "session":
        s = Session.open(path, readonly=True)
        report = s.report
    else:
        report, raw = project.load_with_bytes(path)
        read = project.fingerprint(raw)
    report.values[cell] = int(rnd) + 1
    while time.time() < float(at):
        pass
    try:
        if mode == "session":
            s.save()
            s.close()
        else:
            if project.file_fingerprint(path) != read:
                raise Conflict(path)
            project.save(report, path)
        print("saved", flush=True)
    except (Conflict, Locked):
        print("asked", flush=True)
        if mode == "session":
            s.close()
"""


def race(mode: str, rounds: int, folder: Path) -> dict:
    path = folder / f"{mode}.nianbao"
    shutil.copy(FIXTURE, path)
    from app import project
    base = project.load(path)
    cells = ("t4.review.upheld", "t4.review.corrected")
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(path), c, mode], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for c in cells]
    both_saved = lost = asked = 0
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for rnd in range(rounds):
            project.save(base, path)
            at = time.time() + 0.25
            for p in procs:
                p.stdin.write(f"{rnd} {at}\n")
                p.stdin.flush()
            said = [p.stdout.readline().strip() for p in procs]
            values = project.load(path).values
            both_saved += said.count("saved") == 2
            asked += said.count("asked")
            lost += sum(s == "saved" and values.get(c) != rnd + 1 for s, c in zip(said, cells))
    finally:
        for p in procs:
            p.stdin.close()
            p.wait(30)
    return {"mode": mode, "rounds": rounds, "both said saved": both_saved, "a saved change not in the file": lost,
            "asked": asked}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("compare-then-save", "session"):
            print(race(mode, args.rounds, Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
