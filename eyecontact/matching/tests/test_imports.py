"""The matching core stays pure: no Django, no other Eye Contact app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_django_and_no_other_app(path: Path) -> None:
    for name in _imports(path):
        assert name.split(".")[0] != "django", f"{path.name} imports {name}"
        if name.startswith("eyecontact."):
            assert name.startswith("eyecontact.matching"), f"{path.name} imports {name}"


def test_public_api_is_sorted_and_complete() -> None:
    import eyecontact.matching as matching

    assert matching.__all__ == sorted(matching.__all__)
    for name in matching.__all__:
        assert hasattr(matching, name)


BENCH_GENERATORS = PACKAGE.parents[1] / "bench" / "gen"


@pytest.mark.parametrize("path", sorted(BENCH_GENERATORS.glob("*.py")), ids=lambda p: p.name)
def test_benchmark_generators_use_only_public_names_of_matching(path: Path) -> None:
    """The generators that measure matching stay outside it and lean on nothing private, so
    that matching's insides can change without breaking its yardstick."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("eyecontact"):
            assert node.module is not None
            assert node.module.startswith("eyecontact.matching"), f"{path.name}: {node.module}"
            assert not any(part.startswith("_") for part in node.module.split(".")), node.module
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name} imports {private} from {node.module}"


def test_no_test_data_generator_ships_in_matching() -> None:
    assert not (PACKAGE / "synth.py").exists()
    assert (BENCH_GENERATORS / "synth.py").exists()
