"""The shape of the code, as docs/architecture.md draws it, checked on every run.

Each rule reads the source (no imports run) and names the file, the line and what to do
instead, so a change that bends the design fails here with a way out rather than in review:

- the pure cores (identity resolution, the file parsers) import no Django and no app;
- each app imports only the apps below it, and no app imports a door (web, cli, api);
- the ledger (people) imports only accounts, common and the matching core;
- only an app's own code writes its tables, and a door never queries a model itself;
- CSV is written by one writer, which keeps formulas out of spreadsheets;
- no module is longer than 600 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eyecontact"

# Pure Python packages: they may import each other, the standard library and third-party
# parsing libraries, never Django, the API layer or a Django app.
PURE_CORES = ("eyecontact.matching", "eyecontact.imports.sources")
NOT_IN_A_PURE_CORE = ("django", "ninja", "django_htmx", "dj_database_url", "eyecontact")

# The doors: they parse what comes in, call services (writes) and selectors (reads), and shape
# what goes out. Nothing below them imports them.
DOORS = frozenset({"api", "web", "cli", "urls", "wsgi"})
# Parts every layer may use: shared helpers and the pure identity-resolution core.
LIBRARIES = frozenset({"common", "matching"})
# What each app may import besides the libraries: the picture in docs/architecture.md, bottom
# up. An app missing here is new: add it with the apps it stands on.
ALLOWED: dict[str, frozenset[str]] = {
    "accounts": frozenset(),
    "people": frozenset({"accounts"}),
    "events": frozenset({"accounts", "people"}),
    "networks": frozenset({"accounts", "people"}),
    "contacts": frozenset({"accounts", "people", "events"}),
    "imports": frozenset({"accounts", "people", "events", "networks", "contacts"}),
    "insights": frozenset({"accounts", "people", "events", "networks", "contacts", "imports"}),
    # The job queue runs other apps' long work; export and restore, and the demo, see all data.
    "background": frozenset({"accounts", "people", "events", "networks", "imports", "insights"}),
    "portability": frozenset(
        {"accounts", "people", "events", "networks", "contacts", "imports", "insights"}
    ),
    "demo": frozenset({"accounts", "people", "events", "networks", "contacts", "imports"}),
    "common": frozenset(),
    "settings": frozenset(),
}
# Export and restore copy every app's rows as they are (as loaddata would): the one place above
# every app that writes other apps' tables.
WRITES_ANY_TABLE = frozenset({"portability"})
# Manager and queryset methods that change rows.
WRITE_METHODS = frozenset(
    {
        "create",
        "bulk_create",
        "bulk_update",
        "update",
        "delete",
        "get_or_create",
        "update_or_create",
        "add",
        "remove",
        "set",
        "clear",
    }
)
# eyecontact.common.bulk writes rows of the model it is given, as fast as the database allows.
BULK_HELPERS = frozenset({"insert_rows", "update_rows"})
MAX_LINES = 600
CSV_WRITER = PACKAGE / "common" / "csv.py"


@dataclass(frozen=True)
class Module:
    path: Path
    name: str  # dotted: eyecontact.people.services.persons

    @property
    def part(self) -> str:
        """The app or door the module belongs to: "people", "api", "urls"..."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else parts[0]

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT))

    def tree(self) -> ast.Module:
        return parse(self.path)

    def imports(self) -> Iterator[tuple[int, str, list[str]]]:
        """Each import: its line, the absolute module and the names taken from it."""
        package = self.name.split(".")
        if self.path.name != "__init__.py":
            package = package[:-1]
        for node in ast.walk(self.tree()):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield node.lineno, alias.name, []
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    name = ".".join([*base, node.module] if node.module else base)
                else:
                    name = node.module or ""
                yield node.lineno, name, [alias.asname or alias.name for alias in node.names]


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def is_test_or_migration(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or "migrations" in parts or path.name == "conftest.py"


@cache
def product_modules() -> tuple[Module, ...]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if is_test_or_migration(path):
            continue
        relative = path.relative_to(ROOT).with_suffix("").parts
        if relative[-1] == "__init__":
            relative = relative[:-1]
        found.append(Module(path, ".".join(relative)))
    return tuple(found)


def modules_of(*parts: str) -> list[Module]:
    return [m for m in product_modules() if m.part in parts]


def part_of(module_name: str) -> str | None:
    parts = module_name.split(".")
    if parts[0] != "eyecontact" or len(parts) < 2:
        return None
    return parts[1]


def in_pure_core(module_name: str) -> bool:
    return any(module_name == core or module_name.startswith(f"{core}.") for core in PURE_CORES)


def ids(modules: list[Module]) -> list[str]:
    return [m.where for m in modules]


def pure() -> list[Module]:
    return [m for m in product_modules() if in_pure_core(m.name)]


def app_modules() -> list[Module]:
    return [m for m in product_modules() if m.part not in DOORS and not in_pure_core(m.name)]


class PureCoreTests:
    def test_there_are_pure_core_modules_to_check(self) -> None:
        assert {core for core in PURE_CORES if any(in_pure_core(m.name) for m in pure())} == set(
            PURE_CORES
        )

    @pytest.mark.parametrize("module", pure(), ids=ids(pure()))
    def test_a_pure_core_imports_neither_django_nor_an_app(self, module: Module) -> None:
        offending = [
            f"{module.where}:{line} imports {name}: keep the pure core free of Django and the "
            "apps; pass plain values in and out, and let the app that calls it do the rest."
            for line, name, _ in module.imports()
            if name.split(".")[0] in NOT_IN_A_PURE_CORE and not in_pure_core(name)
        ]
        assert offending == []


class LayerTests:
    def test_every_app_has_its_place_in_the_picture(self) -> None:
        apps = {m.part for m in app_modules() if (PACKAGE / m.part).is_dir()}
        assert apps - set(ALLOWED) - LIBRARIES == set(), (
            "A new app: add it to ALLOWED with the apps it stands on, and to the picture in "
            "docs/architecture.md."
        )

    @pytest.mark.parametrize("module", app_modules(), ids=ids(app_modules()))
    def test_an_app_imports_only_the_apps_below_it_and_never_a_door(self, module: Module) -> None:
        allowed = ALLOWED.get(module.part, frozenset()) | LIBRARIES | {module.part}
        offending = []
        for line, name, _ in module.imports():
            target = part_of(name)
            if target is None or in_pure_core(name) or target in allowed:
                continue
            if target in DOORS:
                advice = (
                    "apps never import a door; move what both need into the app (a service, "
                    "a selector or a constant) and let the door import it"
                )
            else:
                advice = (
                    f"{module.part} may use only {', '.join(sorted(allowed - {module.part}))}; "
                    "pass ids or values in, or move the code to the app that owns the data"
                )
            offending.append(f"{module.where}:{line} imports {name}: {advice}.")
        assert offending == []

    def test_the_ledger_stands_on_accounts_and_common_alone(self) -> None:
        assert ALLOWED["people"] == {"accounts"}
        assert ALLOWED["accounts"] == frozenset()


def model_names(module: Module) -> dict[str, str]:
    """The model classes a module imported, by local name, with the app that owns each."""
    owners: dict[str, str] = {}
    for _, name, names in module.imports():
        parts = name.split(".")
        if len(parts) >= 3 and parts[0] == "eyecontact" and parts[-1] == "models":
            owners.update(dict.fromkeys(names, parts[1]))
    if module.path.name == "models.py":
        owners.update(
            {
                node.name: module.part
                for node in module.tree().body
                if isinstance(node, ast.ClassDef)
            }
        )
    return owners


def root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def chain_has(node: ast.expr, attribute: str) -> bool:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        if isinstance(node, ast.Attribute) and node.attr == attribute:
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def manager_uses(module: Module) -> Iterator[tuple[int, str, str, bool]]:
    """Each use of a model's manager: line, model, owning app and whether it writes rows."""
    owners = model_names(module)
    for node in ast.walk(module.tree()):
        if not isinstance(node, ast.Attribute) or node.attr != "objects":
            continue
        model = root_name(node)
        if model in owners:
            yield node.lineno, model, owners[model], False
    for node in ast.walk(module.tree()):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITE_METHODS or not chain_has(node.func, "objects"):
            continue
        model = root_name(node.func)
        if model in owners:
            yield node.lineno, model, owners[model], True
    for node in ast.walk(module.tree()):
        # The bulk helpers of eyecontact.common take the model as their first argument.
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in BULK_HELPERS
            and node.args
            and (model := root_name(node.args[0])) in owners
        ):
            yield node.lineno, model, owners[model], True


class OwnershipTests:
    @pytest.mark.parametrize("module", app_modules(), ids=ids(app_modules()))
    def test_only_an_apps_own_code_writes_its_tables(self, module: Module) -> None:
        if module.part in WRITES_ANY_TABLE:
            return
        offending = [
            f"{module.where}:{line} writes {model} rows of {owner}: call a service of "
            f"eyecontact.{owner} (for many rows, people.services.bulk), which validates, audits "
            "and keeps its figures current."
            for line, model, owner, writes in manager_uses(module)
            if writes and owner != module.part
        ]
        assert offending == []

    @pytest.mark.parametrize("module", app_modules(), ids=ids(app_modules()))
    def test_selectors_only_read(self, module: Module) -> None:
        if module.name.rsplit(".", 1)[-1] != "selectors":
            return
        offending = [
            f"{module.where}:{line} writes {model} rows: selectors only read; move the write "
            "to a service."
            for line, model, _, writes in manager_uses(module)
            if writes
        ]
        assert offending == []

    @pytest.mark.parametrize("module", modules_of(*DOORS), ids=ids(modules_of(*DOORS)))
    def test_a_door_asks_services_and_selectors_never_a_model(self, module: Module) -> None:
        offending = [
            f"{module.where}:{line} uses {model}.objects: read through a selector of "
            f"eyecontact.{owner} and write through its services."
            for line, model, owner, _ in manager_uses(module)
            if not placeholder(module, line)
        ]
        assert offending == []


def placeholder(module: Module, line: int) -> bool:
    """A form's empty choice list (``Model.objects.none()``), filled from a selector later."""
    return ".objects.none()" in module.path.read_text(encoding="utf-8").splitlines()[line - 1]


class CsvTests:
    def test_only_the_formula_safe_writer_writes_csv(self) -> None:
        offending = []
        for module in product_modules():
            if module.path == CSV_WRITER:
                continue
            for node in ast.walk(module.tree()):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in {"writer", "DictWriter"}
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "csv"
                ):
                    offending.append(
                        f"{module.where}:{node.lineno} writes CSV itself: use "
                        "eyecontact.common.csv, which keeps a name like =HYPERLINK(...) from "
                        "running as a formula in the user's spreadsheet."
                    )
        assert offending == []


def sized_files() -> list[Path]:
    folders = [PACKAGE, ROOT / "bench", ROOT / "scripts"]
    return [
        path
        for folder in folders
        for path in sorted(folder.rglob("*.py"))
        if not is_test_or_migration(path)
    ]


class SizeTests:
    def test_no_module_is_longer_than_600_lines(self) -> None:
        offending = [
            f"{path.relative_to(ROOT)}: {lines} lines; split it by what its parts are about "
            "(a package with one module per step or per kind of row)."
            for path in sized_files()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        ]
        assert offending == []
