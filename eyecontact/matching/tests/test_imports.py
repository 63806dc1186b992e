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
