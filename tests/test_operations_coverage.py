"""Every VI operation is called by exactly its app's gateway, and the layers stay in order.

Static checks over the source (ast; no database, no sandbox, nothing imported), so they
catch a slip the moment it is written rather than when some page happens to exercise it:

* each `<app>/gateway.py` names exactly the operations OPERATIONS.tsv gives its app — no
  operation missing, none borrowed from another app, none VI does not have;
* a gateway never hides an operation name in a variable we cannot follow, so the check
  above cannot be dodged;
* only gateways use the provider client's `call`/`stream` (DESIGN.md: "Only `gateway.py`
  modules call it");
* only `portal/voipinnovations/` imports zeep;
* only services import gateways (DESIGN.md: "Only `services.py` calls gateways");
* docs/operations.md, which maps each operation further up (service, page, admin action,
  sync), lists every operation once under its app, with the gateway functions that call it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from tests.fixtures.shared import REPO_DIR, operations

APPS = ("dids", "e911", "messaging", "porting")
CLIENT_MODULE = "portal.voipinnovations.client"
CLIENT_FUNCTIONS = {"call", "stream"}
PROVIDER_PACKAGE = ("portal", "voipinnovations")

# Not the portal's code: installed packages, the tests themselves, and the VI stand-in
# (which speaks SOAP on VI's side and must not import the portal at all).
SKIPPED_DIRS = {".venv", "tests", "node_modules", ".git", "__pycache__"}
SKIPPED_PACKAGES = {("portal", "sandbox")}

# Known departures from the house rules, each with why it is tolerated for now. A stale entry
# (the module no longer departs) fails too, so these lists only ever shrink.
CLIENT_USERS_ALLOWED = {
    # `make bench`'s deliberately naive baseline: what a first version would do, measured
    # against the real sync. Not reachable from the portal.
    "benchmarks/naive.py": "benchmark baseline",
    # Hashes the client module's source (with the parser's) so a changed reader never trusts
    # an "unchanged audit" verdict from the old code; it makes no call.
    "portal/sync/unchanged.py": "hashes the client's source, calls nothing",
}
# (e911/bulk.py used to call gateway.validate_911; it now goes through e911.services.address_valid.)
GATEWAY_IMPORTERS_ALLOWED: dict[str, str] = {}


# --- reading the source -------------------------------------------------------------------


def _source_files() -> list[Path]:
    files = []
    for path in REPO_DIR.rglob("*.py"):
        parts = path.relative_to(REPO_DIR).parts
        if set(parts) & SKIPPED_DIRS or any(
            parts[: len(package)] == package for package in SKIPPED_PACKAGES
        ):
            continue
        if any(part.endswith(".egg-info") for part in parts):
            continue
        files.append(path)
    return sorted(files)


def _relative(path: Path) -> str:
    return path.relative_to(REPO_DIR).as_posix()


def _module_parts(path: Path) -> tuple[str, ...]:
    parts = path.relative_to(REPO_DIR).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@dataclass(frozen=True)
class Imported:
    """One imported name: `module` is absolute; `name` is None for `import module`."""

    module: str
    name: str | None
    line: int


def _imports(path: Path) -> list[Imported]:
    """Every import in the file, at any depth (lazy imports inside functions count too)."""
    package = _module_parts(path) if path.name == "__init__.py" else _module_parts(path)[:-1]
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.extend(Imported(alias.name, None, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.extend(Imported(module, alias.name, node.lineno) for alias in node.names)
    return found


def _imported_modules(path: Path) -> set[str]:
    """Modules the file pulls in: `from a import b` counts as importing `a` and `a.b`."""
    modules = set()
    for imported in _imports(path):
        modules.add(imported.module)
        if imported.name:
            modules.add(f"{imported.module}.{imported.name}")
    return modules


# --- the operation names a gateway passes to the client ---------------------------------------


@dataclass
class GatewayOperations:
    operations: dict[str, set[str]] = field(
        default_factory=lambda: defaultdict(set)
    )  # op -> functions
    unresolved: list[str] = field(default_factory=list)  # "line N in f(): <expression>"


@dataclass(frozen=True)
class Forwarder:
    """A gateway helper whose parameter is the operation name it hands to call/stream."""

    position: int | None  # positional index, None when keyword-only
    keyword: str


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _argument(node: ast.Call, position: int | None, keyword: str) -> ast.expr | None:
    if position is not None and len(node.args) > position:
        return node.args[position]
    return next((item.value for item in node.keywords if item.arg == keyword), None)


def _forwarder_for(function: ast.FunctionDef, name: str) -> Forwarder:
    positional = [argument.arg for argument in function.args.posonlyargs + function.args.args]
    return Forwarder(positional.index(name) if name in positional else None, name)


def _parameters(function: ast.FunctionDef) -> set[str]:
    arguments = function.args
    return {
        argument.arg for argument in arguments.posonlyargs + arguments.args + arguments.kwonlyargs
    }


def gateway_operations(path: Path) -> GatewayOperations:
    """Operation names reaching `call`/`stream`, as literals or through helpers' parameters.

    The dids gateway sends its bulk and single-number writes through helpers (`_bulk(
    "assignDID", ...)`, `_single_did_write("SetDIDForward", ...)`), so a helper whose
    parameter flows into the client's first argument is followed to its own callers' literals.
    """
    functions = [node for node in ast.walk(_tree(path)) if isinstance(node, ast.FunctionDef)]
    forwarders: dict[str, Forwarder] = {
        name: Forwarder(0, "operation") for name in CLIENT_FUNCTIONS
    }
    # Find the helpers first (a helper may forward to another helper): repeat until stable.
    while True:
        before = len(forwarders)
        for function in functions:
            if function.name in forwarders:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and (target := forwarders.get(_callee(node) or "")):
                    argument = _argument(node, target.position, target.keyword)
                    if isinstance(argument, ast.Name) and argument.id in _parameters(function):
                        forwarders[function.name] = _forwarder_for(function, argument.id)
                        break
        if len(forwarders) == before:
            break

    found = GatewayOperations()
    for function in functions:
        for node in ast.walk(function):
            if not isinstance(node, ast.Call) or not (
                target := forwarders.get(_callee(node) or "")
            ):
                continue
            argument = _argument(node, target.position, target.keyword)
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.operations[argument.value].add(function.name)
            elif (
                function.name in forwarders
                and isinstance(argument, ast.Name)
                and argument.id == forwarders[function.name].keyword
            ):
                continue  # the helper itself: its callers supply the literal
            else:
                shown = ast.unparse(argument) if argument is not None else "(no operation argument)"
                found.unresolved.append(
                    f"line {node.lineno} in {function.name}(): {_callee(node)}({shown}, ...)"
                )
    return found


@cache
def _operations_by_app() -> dict[str, set[str]]:
    by_app: dict[str, set[str]] = defaultdict(set)
    for row in operations():
        by_app[row["app"]].add(row["operation"])
    return by_app


# --- the tests ------------------------------------------------------------------------------


def test_operations_tsv_covers_the_four_apps():
    rows = operations()
    names = [row["operation"] for row in rows]
    assert len(names) == 98
    assert len(set(names)) == len(names), "an operation is listed twice in OPERATIONS.tsv"
    assert set(_operations_by_app()) == set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_gateway_calls_exactly_its_apps_operations(app):
    found = gateway_operations(REPO_DIR / app / "gateway.py")
    expected = _operations_by_app()[app]
    called = set(found.operations)
    assert not expected - called, f"{app}/gateway.py never calls: {sorted(expected - called)}"
    other_apps = {
        op: other for other, ops in _operations_by_app().items() if other != app for op in ops
    }
    borrowed = {op: other_apps[op] for op in called - expected if op in other_apps}
    assert not borrowed, f"{app}/gateway.py calls other apps' operations (op: owner): {borrowed}"
    unknown = called - expected - set(other_apps)
    assert not unknown, f"{app}/gateway.py calls operations VI does not list: {sorted(unknown)}"


@pytest.mark.parametrize("app", APPS)
def test_gateway_names_every_operation_so_it_can_be_checked(app):
    """An operation name built at run time would slip past the test above."""
    unresolved = gateway_operations(REPO_DIR / app / "gateway.py").unresolved
    assert not unresolved, (
        f"{app}/gateway.py passes operation names this test cannot follow: {unresolved}"
    )


def _is_gateway_file(path: Path) -> bool:
    parts = path.relative_to(REPO_DIR).parts
    return len(parts) == 2 and parts[0] in APPS and parts[1] == "gateway.py"


def _in_provider_package(path: Path) -> bool:
    return path.relative_to(REPO_DIR).parts[: len(PROVIDER_PACKAGE)] == PROVIDER_PACKAGE


def test_only_gateways_use_the_provider_client():
    client_names = {f"{CLIENT_MODULE}.{name}" for name in CLIENT_FUNCTIONS}
    users = {}
    for path in _source_files():
        if _is_gateway_file(path) or _in_provider_package(path):
            continue
        lines = [
            imported.line
            for imported in _imports(path)
            # `provider_context` (who is calling) is for services; `call`/`stream` are not.
            if (imported.name is None and imported.module == CLIENT_MODULE)
            or (
                imported.name
                and f"{imported.module}.{imported.name}" in client_names | {CLIENT_MODULE}
            )
        ]
        if lines:
            users[_relative(path)] = lines
    assert set(users) - set(CLIENT_USERS_ALLOWED) == set(), (
        f"the provider client used outside gateways: {users}"
    )
    stale = set(CLIENT_USERS_ALLOWED) - set(users)
    assert not stale, (
        f"no longer use the client; drop them from CLIENT_USERS_ALLOWED: {sorted(stale)}"
    )


def test_only_the_provider_package_imports_zeep():
    importers = {
        _relative(path): sorted(
            module for module in _imported_modules(path) if module.split(".")[0] == "zeep"
        )
        for path in _source_files()
        if not _in_provider_package(path)
    }
    importers = {path: modules for path, modules in importers.items() if modules}
    assert not importers, f"zeep imported outside portal/voipinnovations/: {importers}"


def test_the_provider_package_is_where_zeep_is_used():
    """The check above must be looking at real code: the client itself imports zeep."""
    client = REPO_DIR / "portal" / "voipinnovations" / "client.py"
    assert client in _source_files()
    assert any(module.split(".")[0] == "zeep" for module in _imported_modules(client))


def _gateway_modules() -> set[str]:
    return {f"{app}.gateway" for app in APPS}


def test_only_services_import_gateways():
    importers = {}
    for path in _source_files():
        if path.name == "services.py" or _is_gateway_file(path):
            continue
        imported = _imported_modules(path) & _gateway_modules()
        if imported:
            importers[_relative(path)] = sorted(imported)
    unexpected = {
        path: modules
        for path, modules in importers.items()
        if path not in GATEWAY_IMPORTERS_ALLOWED
    }
    assert not unexpected, (
        f"gateways imported outside services.py (views, admin, tasks call services): {unexpected}"
    )
    stale = set(GATEWAY_IMPORTERS_ALLOWED) - set(importers)
    assert not stale, (
        f"no longer import a gateway; drop them from GATEWAY_IMPORTERS_ALLOWED: {sorted(stale)}"
    )


def test_services_import_their_own_apps_gateway():
    """The check above sees the real imports: every app's services reach its gateway."""
    for app in APPS:
        assert f"{app}.gateway" in _imported_modules(REPO_DIR / app / "services.py"), app


# --- docs/operations.md lists every operation where the code has it ------------------------

OPERATIONS_DOC = REPO_DIR / "docs" / "operations.md"


def _documented_rows() -> dict[str, list[tuple[str, str]]]:
    """App -> [(operation, gateway-function cell)] from the tables under each "## … (`app`" heading."""
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    app = None
    for line in OPERATIONS_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            app = next((name for name in APPS if f"(`{name}`" in line), None)
        elif app and line.startswith("| ") and not line.startswith(("| operation ", "|---")):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[app].append((cells[0], cells[1]))
    return rows


@pytest.mark.parametrize("app", APPS)
def test_operations_doc_lists_each_operation_once_under_its_app(app):
    documented = [operation for operation, _ in _documented_rows()[app]]
    duplicates = sorted({operation for operation in documented if documented.count(operation) > 1})
    assert not duplicates, f"docs/operations.md lists these {app} operations twice: {duplicates}"
    expected = _operations_by_app()[app]
    assert set(documented) == expected, (
        f"docs/operations.md, {app}: missing {sorted(expected - set(documented))}, "
        f"not {app}'s {sorted(set(documented) - expected)}"
    )


@pytest.mark.parametrize("app", APPS)
def test_operations_doc_names_the_gateway_functions_the_code_uses(app):
    """A renamed or newly added gateway function shows up here until the page is updated."""
    found = gateway_operations(REPO_DIR / app / "gateway.py").operations
    stale = {}
    for operation, cell in _documented_rows()[app]:
        named = set(
            cell.replace("`", " ").replace("(", " ").replace(")", " ").replace(";", " ").split()
        )
        if not found.get(operation, set()) <= named:
            stale[operation] = sorted(found.get(operation, set()) - named)
    assert not stale, (
        f"docs/operations.md misses these gateway functions (operation: functions): {stale}"
    )
