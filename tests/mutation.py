"""Mutation testing of the core modules with mutmut 3 (``pip install -e .[mutation]``). Not part of the test run.

    python tests/mutation.py app/rules.py [--work DIR] [--tests tests/test_core_rules.py ...]

mutmut copies the project into ``DIR/mutants`` and runs pytest there for every mutant; to keep the repository
clean the script first copies what the core tests need (app/, tests/, resources/, templates/, docs/, pyproject.toml)
into a scratch folder (default: a folder under the system temp dir) and writes mutmut's configuration there
(setup.cfg).
Only the fast core test files (``CORE_TESTS``) run per mutant (each run is bounded by pytest-timeout), one module
at a time.

At the end it prints the counts and the surviving mutants; ``cd DIR && mutmut show NAME`` shows a mutant's diff.
The mutation score is killed / (killed + survived + no tests + timeout + suspicious). The script exits with 1,
saying why, when mutmut failed or when any mutant it was asked about was not checked (no score is then printed as
if it were real).
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
TIMEOUT_CONSTANT = 10  # seconds added to mutmut's estimate of a mutant's tests before its multiplier (15)
PYTEST_ARGS = ("-p", "no:cacheprovider", "-q", "-x", "--timeout=120")
# the status mutmut gives a mutant it has not run; any of these among the asked-about mutants fails the run
UNCHECKED = ("not checked", "check was interrupted by user")
# the fast, Qt-free tests of the core (the command-line tests start a process per case: too slow per mutant)
CORE_TESTS = sorted(str(p.relative_to(ROOT)) for pattern in ("test_core_*.py", "test_checks_*.py", "test_narrative.py",
                                                             "test_assessor_checks.py", "test_reviewer_checks.py")
                    for p in (ROOT / "tests").glob(pattern) if p.name != "test_core_cli.py")


def prepare(work: Path, module: str, tests: list[str]) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for part in ("app", "tests", "resources", "templates", "docs"):
        shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.lock"))
    # app/resources.py recognises a checkout by pyproject.toml beside resources/; without it every test fails
    # with 安装不完整
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    lines = "\n    ".join(tests)
    # list options one a line: mutmut splits them at line ends only, so "-q --timeout=120" would reach pytest as
    # one argument
    args = "\n    ".join(PYTEST_ARGS)
    (work / "setup.cfg").write_text(
        "[mutmut]\nsource_paths=app/\n"
        f"only_mutate={module}\n"
        "also_copy=\n    resources/\n    templates/\n    docs/\n"
        f"pytest_add_cli_args=\n    {args}\n"
        # forked from a server that has collected the tests but run none: a worker forked from mutmut's main
        # process inherits the caches filled by the clean run (rules._sum_instances, term_label …), so mutants in
        # cached functions never ran (tests/conftest.py also drops the program's caches before every test under
        # mutmut); the collection once in the server saves each mutant's run importing pytest and the tests
        "process_isolation=forkserver\nforkserver_warmup=collect\n"
        # a loaded machine: without a constant, slow runs would count as "timeout"
        f"timeout_constant={TIMEOUT_CONSTANT}\n"
        f"pytest_add_cli_args_test_selection=\n    {lines}\n", encoding="utf-8")


class MutationRunError(Exception):
    """mutmut did not do what was asked; the message says what and where its log is."""


NO_SUCH_MUTANT = "app.__no_such_mutant__"


def run(env: dict, work: Path, names: list[str], timeout: int) -> None:
    log_path = work / "mutmut-run.log"
    start = log_path.stat().st_size if log_path.exists() else 0
    with open(log_path, "a", encoding="utf-8") as log:
        done = subprocess.run([MUTMUT, "run", "--max-children", "1", *names], check=False, cwd=work, env=env,
                              stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, timeout=timeout)
    with open(log_path, encoding="utf-8", errors="replace") as log:
        log.seek(start)
        text = log.read()
    # asked for a mutant that does not exist only to have the mutants written: mutmut refuses the name after
    # writing them, which is the expected end of that step
    if names == [NO_SUCH_MUTANT] and "nothing matches" in text and (work / "mutants").is_dir():
        return
    if done.returncode != 0:
        tail = text.splitlines()[-15:]
        raise MutationRunError(f"mutmut run exited with {done.returncode} (log: {log_path}):\n" + "\n".join(tail))


def mutant_names(mutated: Path, module: str) -> list[str]:
    """Names of the mutants mutmut wrote into its copy of the module (``def x_f__mutmut_3`` and methods)."""
    prefix = module.removesuffix(".py").replace("/", ".")
    return sorted({f"{prefix}.{m}" for m in re.findall(r"^\s*def (x\S*?__mutmut_\d+)\(", mutated.read_text(
        encoding="utf-8"), flags=re.M)})


def results(work: Path) -> dict[str, str]:
    """Every mutant mutmut knows of, with its status (``killed``, ``survived``, ``not checked`` …)."""
    done = subprocess.run([MUTMUT, "results", "--all", "true"], check=False, cwd=work,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise MutationRunError(f"mutmut results exited with {done.returncode}: {done.stderr.strip()[-2000:]}")
    status = {}
    for line in done.stdout.splitlines():
        name, sep, what = line.strip().rpartition(": ")
        if sep and name.startswith("app."):
            status[name] = what
    return status


def score(status: dict[str, str], names: list[str]) -> tuple[dict, list[str]]:
    """(counts with the score, the mutants that were not killed) for the asked-about mutants (all if none named).

    Raises :class:`MutationRunError` when any of them has no result or was not checked: a score over mutants that
    never ran would be a number about nothing."""
    chosen = names or sorted(status)
    if not chosen:
        raise MutationRunError("mutmut reported no mutants at all")
    missing = [n for n in chosen if n not in status]
    unchecked = [n for n in chosen if status.get(n) in UNCHECKED]
    if missing or unchecked:
        raise MutationRunError(
            f"{len(missing) + len(unchecked)} of {len(chosen)} mutants were not checked "
            f"(no result: {len(missing)}, not checked: {len(unchecked)}), e.g. {(missing + unchecked)[:5]}; "
            "see mutmut-run.log in the work folder")
    counts = Counter(status[n] for n in chosen)
    killed = counts.get("killed", 0)
    return ({"mutants": len(chosen), **dict(sorted(counts.items())), "score": round(killed / len(chosen), 3)},
            [f"{n}: {status[n]}" for n in chosen if status[n] != "killed"])


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
    try:
        return mutate(a)
    except (MutationRunError, subprocess.TimeoutExpired, OSError) as e:
        print(f"mutation run FAILED for {a.module}: {e}", file=sys.stderr)
        return 1


def mutate(a: argparse.Namespace) -> int:
    work = a.work or Path(tempfile.gettempdir()) / f"nianbao-mutation-{Path(a.module).stem}"
    prepare(work, a.module, a.tests)
    # no PYTHONPATH and not ``python -m``: the copy's app/ (or the checkout) on sys.path would shadow the mutants
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    names: list[str] = []
    if a.names_file:
        names = sorted({line.split(":")[0].strip() for line in a.names_file.read_text(encoding="utf-8").splitlines()
                        if line.strip().startswith("app.")})
        run(env, work, [NO_SUCH_MUTANT], a.timeout)  # generate the mutants first
    elif a.sample:
        # generate the mutants (and the clean run) without running any, then pick a seeded sample of names
        run(env, work, [NO_SUCH_MUTANT], a.timeout)
        names = mutant_names(work / "mutants" / a.module, a.module)
        names = sorted(random.Random(a.seed).sample(names, min(a.sample, len(names))))
        print(f"sample: {len(names)} mutants (seed {a.seed})")
    run(env, work, names, a.timeout)
    counts, survivors = score(results(work), names)
    print(json.dumps({"module": a.module, **counts}, ensure_ascii=False))
    print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
