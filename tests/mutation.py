"""Mutation testing of the core modules with mutmut 3 (``pip install -e .[mutation]``). Not part of the test run.

    python tests/mutation.py app/rules.py [--work DIR] [--tests tests/test_core_rules.py ...]

mutmut copies the project into ``DIR/mutants`` and runs pytest there for every mutant; to keep the repository
clean the script first copies what the core tests need (app/, tests/, resources/) into a scratch folder (default:
a folder under the system temp dir) and writes mutmut's configuration there (setup.cfg). Only the fast core
test files run per mutant (each run is bounded by pytest-timeout), one module at a time.

At the end it prints the counts and the surviving mutants; ``cd DIR && mutmut show NAME`` shows a mutant's diff.
The mutation score is killed / (killed + survived + no tests + timeout + suspicious).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = shutil.which("mutmut") or "mutmut"
CORE_TESTS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_core_*.py") if p.name != "test_core_cli.py")


def prepare(work: Path, module: str, tests: list[str]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for part in ("app", "tests", "resources"):
        shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    lines = "\n    ".join(tests)
    (work / "setup.cfg").write_text(
        "[mutmut]\nsource_paths=app/\n"
        f"only_mutate={module}\n"
        "also_copy=\n    resources/\n"
        "pytest_add_cli_args=-p no:cacheprovider -q -x --timeout=120\n"
        # forked from a server that has not run any test: a worker forked from mutmut's main process inherits
        # the lru_caches filled by the clean run (rules._sum_instances, term_label …), so mutants in cached
        # functions never ran and were counted as survivors
        "process_isolation=forkserver\nforkserver_warmup=none\n"
        f"pytest_add_cli_args_test_selection=\n    {lines}\n", encoding="utf-8")


def run(env: dict, work: Path, names: list[str], timeout: int) -> None:
    with open(work / "mutmut-run.log", "a", encoding="utf-8") as log:
        subprocess.run([MUTMUT, "run", "--max-children", "1", *names], check=False, cwd=work, env=env,
                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, timeout=timeout)


def mutant_names(mutated: Path, module: str) -> list[str]:
    """Names of the mutants mutmut wrote into its copy of the module (``def x_f__mutmut_3`` and methods)."""
    prefix = module.removesuffix(".py").replace("/", ".")
    return sorted({f"{prefix}.{m}" for m in re.findall(r"^\s*def (x\S*?__mutmut_\d+)\(", mutated.read_text(
        encoding="utf-8"), flags=re.M)})


def summary(work: Path) -> tuple[Counter, list[str]]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], check=False, cwd=work,
                         capture_output=True, text=True, timeout=300).stdout
    status, survivors = Counter(), []
    for line in out.splitlines():
        name, sep, what = line.strip().rpartition(": ")
        if sep and name.startswith("app."):
            status[what] += 1
            if what != "killed":
                survivors.append(f"{name}: {what}")
    return status, survivors


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("module", help="the file to mutate, e.g. app/rules.py")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--tests", nargs="+", default=CORE_TESTS)
    ap.add_argument("--timeout", type=int, default=3600, help="seconds for the whole mutmut run")
    ap.add_argument("--sample", type=int, default=0, help="run only this many mutants, chosen at random")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--names-file", type=Path, help="run only the mutants named in this file (one a line, e.g. "
                                                      "the survivors of an earlier run: `mutmut results`)")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.gettempdir()) / f"nianbao-mutation-{Path(a.module).stem}"
    prepare(work, a.module, a.tests)
    # no PYTHONPATH and not ``python -m``: the copy's app/ (or the checkout) on sys.path would shadow the mutants
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    names: list[str] = []
    if a.names_file:
        names = sorted({line.split(":")[0].strip() for line in a.names_file.read_text(encoding="utf-8").splitlines()
                        if line.strip().startswith("app.")})
        run(env, work, ["app.__no_such_mutant__"], a.timeout)  # generate the mutants first
    elif a.sample:
        # generate the mutants (and the clean run) without running any, then pick a seeded sample of names
        run(env, work, ["app.__no_such_mutant__"], a.timeout)
        names = mutant_names(work / "mutants" / a.module, a.module)
        names = sorted(random.Random(a.seed).sample(names, min(a.sample, len(names))))
        print(f"sample: {len(names)} mutants (seed {a.seed})")
    try:
        run(env, work, names, a.timeout)
    except subprocess.TimeoutExpired:
        print(f"mutmut run stopped after {a.timeout} s; the counts below cover the mutants run so far")
    status, survivors = summary(work)
    if names:
        chosen = set(names)
        status = Counter(s.rsplit(": ", 1)[1] for s in survivors if s.split(": ")[0] in chosen)
        status["killed"] = len(names) - sum(status.values())
        survivors = [s for s in survivors if s.split(": ")[0] in chosen]
    total = sum(status.values())
    killed = status.get("killed", 0)
    print(json.dumps({"module": a.module, "mutants": total, **status,
                      "score": round(killed / total, 3) if total else None}, ensure_ascii=False))
    print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
