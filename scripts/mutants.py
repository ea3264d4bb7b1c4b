"""Mutation testing of one module with only the tests that concern it (`make mutants`).

    make mutants MODULE=dids/numbers.py TESTS="tests/dids/test_numbers.py"
    make mutants MODULE=porting/services.py ONLY=events_notify TESTS="tests/porting/test_notification_recipients.py"

mutmut 3 (configured under [tool.mutmut] in pyproject.toml) copies the packages into
`mutants/`, plants small bugs in MODULE's functions one at a time and runs the tests that
reach each function. A mutant the tests do not notice "survived": either a test is missing,
or the change makes no difference a user could feel (then say so, or simplify the code).

What this wrapper adds to `mutmut run`, which only reads its settings from pyproject.toml:
- MODULE and TESTS from the command line (only_mutate, the test selection), so one module
  takes minutes instead of mutating all 170 files and running the whole suite; ONLY keeps
  to one function or method of a big module;
- a fresh run directory each time, var/mutants/ (mutmut keeps stale copies of templates
  and data files), where the tests find ../shared as they do in the repository;
- its own test database, created once by the first pytest run and reused by every mutant
  (each test still runs in its own transaction): `test_<name>_mutants`, dropped first;
- a closing line with the score, the time taken, and each survivor's name for
  `mutmut show NAME` (run in var/mutants/).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / "var" / "mutants"
# What mutmut reads or copies: its settings, the packages, and what the tests need beside them.
LINKED = (
    "pyproject.toml",
    "portal",
    "dids",
    "e911",
    "messaging",
    "porting",
    "tests",
    "templates",
    "static",
    "manage.py",
    "benchmarks",
)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--module", required=True, help="the file to mutate, e.g. dids/numbers.py")
    parser.add_argument(
        "--tests", required=True, help="space-separated test files or node ids that concern it"
    )
    parser.add_argument(
        "--only", default="", help="one function or method of MODULE, e.g. events_notify"
    )
    parser.add_argument(
        "--max-children",
        type=int,
        default=1,
        help="mutants run at once (1: transaction=True tests flush the shared test database)",
    )
    args = parser.parse_args()

    os.chdir(ROOT)
    module = Path(args.module)
    tests = args.tests.split()
    if module.suffix != ".py" or not module.is_file():
        return _usage(f"MODULE={args.module} is not a Python file of this repository")
    missing = [test for test in tests if not Path(test.split("::")[0]).exists()]
    if not tests or missing:
        return _usage(
            f"TESTS must name existing test files; not found: {' '.join(missing) or '(none given)'}"
        )

    _use_own_test_database()
    _enter_run_directory()

    from mutmut.__main__ import cli
    from mutmut.configuration import config

    settings = config()
    if not any(module.parts[0] == str(path) for path in settings.source_paths):
        return _usage(
            f"MODULE must be inside one of {[str(path) for path in settings.source_paths]}"
        )
    settings.only_mutate = [str(module)]
    settings.pytest_add_cli_args = [*settings.pytest_add_cli_args, "-p", _ONE_TEST_DATABASE_PLUGIN]
    settings.pytest_add_cli_args_test_selection = tests

    started = time.monotonic()
    dotted = ".".join(module.with_suffix("").parts)
    name_glob = f"{dotted}.*{args.only}__mutmut_*" if args.only else f"{dotted}.*"
    try:
        cli(["run", "--max-children", str(args.max_children), name_glob], standalone_mode=False)
    except SystemExit as stop:
        if stop.code not in (0, None):
            print(f"mutmut stopped with status {stop.code}", file=sys.stderr)
            return int(stop.code) if isinstance(stop.code, int) else 1
    return _report(module, name_glob, seconds=time.monotonic() - started)


def _enter_run_directory() -> None:
    """Work in a fresh var/mutants/ that links to the tree, with `shared` beside the copy.

    mutmut copies the tree into `<here>/mutants/`; the tests find VI's reference material at
    `<their repository>/../shared`, i.e. `<here>/shared`: a link to the real one.
    """
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    for name in LINKED:
        if (ROOT / name).exists():
            (RUN_DIR / name).symlink_to(ROOT / name)
    if (ROOT.parent / "shared").is_dir():
        (RUN_DIR / "shared").symlink_to(ROOT.parent / "shared")
    os.chdir(RUN_DIR)


_ONE_TEST_DATABASE_PLUGIN = "mutants_one_test_database"


def _keep_one_test_database(name: str) -> None:
    """A pytest plugin (by name, for `-p`) that gives every run the same test database.

    mutmut runs pytest again and again in one process (and its forks). Django renames the
    database setting to the test database's name while a run has it, and the next run would
    make a `test_test_…` database of its own, migrations and all: each run starts instead
    from the real name, with the test database's name fixed.
    """
    plugin = types.ModuleType(_ONE_TEST_DATABASE_PLUGIN)

    def pytest_sessionstart(session) -> None:
        from django.db import connections

        settings_dict = connections["default"].settings_dict
        settings_dict["NAME"] = name
        settings_dict.setdefault("TEST", {})["NAME"] = f"test_{name}"

    vars(plugin)["pytest_sessionstart"] = pytest_sessionstart  # a hook on a module made here
    sys.modules[_ONE_TEST_DATABASE_PLUGIN] = plugin


def _use_own_test_database() -> None:
    """Point DATABASE_URL at `<name>_mutants` and drop its leftover test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    if not name.endswith("_mutants"):
        name = f"{name}_mutants"
    os.environ["DATABASE_URL"] = f"{base}/{name}"
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')
    _keep_one_test_database(name)


def _report(module: Path, name_glob: str, *, seconds: float) -> int:
    from mutmut.stats import status_by_exit_code

    meta = RUN_DIR / "mutants" / f"{module}.meta"
    if not meta.exists():
        print(f"No mutants were made for {module} (mutmut mutates code inside functions only).")
        return 0
    results = {
        name: exit_code
        for name, exit_code in json.loads(meta.read_text())["exit_code_by_key"].items()
        if fnmatch.fnmatchcase(name, name_glob)
    }
    if not results:
        print(f"No mutants of {module} match {name_glob}.")
        return 0
    by_status: dict[str, list[str]] = {}
    for name, exit_code in sorted(results.items()):
        by_status.setdefault(status_by_exit_code[exit_code], []).append(name)
    killed = len(by_status.get("killed", []))
    total = len(results)
    for status in sorted(set(by_status) - {"killed"}):
        print(f"{status} ({len(by_status[status])}):")
        for name in by_status[status]:
            print(f"  {name}")
    others = ", ".join(
        f"{len(names)} {status}"
        for status, names in sorted(by_status.items())
        if status != "killed"
    )
    print(
        f"\n{module}: {killed} of {total} mutants killed ({killed / total:.0%})"
        f"{f'; {others}' if others else ''}; {seconds:.0f} s.\nSee one: (cd var/mutants && ../../.venv/bin/mutmut show NAME)"
    )
    return 0


def _usage(problem: str) -> int:
    print(
        f'{problem}\nusage: make mutants MODULE=dids/numbers.py TESTS="tests/dids/test_numbers.py"',
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
