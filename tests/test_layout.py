"""The shape the code keeps: a core without Telegram, SQL in the store only, small modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "bot").rglob("*.py"))
ADAPTER = sorted((ROOT / "handlers").rglob("*.py"))
MAX_LINES = 400
SQL = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_neither_telegram_nor_handlers(path: Path) -> None:
    offending = {m for m in imported_modules(path) if m.split(".")[0] in ("telegram", "handlers")}
    assert not offending, f"{path.name} imports {offending}"


@pytest.mark.parametrize("path", CORE + ADAPTER, ids=lambda p: str(p.relative_to(ROOT)))
def test_sql_lives_in_the_store_only(path: Path) -> None:
    if path.is_relative_to(ROOT / "bot" / "store"):
        return
    statements = [s for s in strings(path) if SQL.search(s)]
    assert not statements, f"{path.name} holds SQL: {statements[0][:60]!r}"


@pytest.mark.parametrize("path", CORE + ADAPTER, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines"


def test_the_store_hands_out_no_driver_types() -> None:
    interface = ROOT / "bot" / "store" / "interface.py"
    assert not {m for m in imported_modules(interface) if m in ("aiosqlite", "sqlite3")}


def test_the_knowledge_directory_holds_yaml_only() -> None:
    others = [p.name for p in (ROOT / "knowledge").rglob("*") if p.is_file()]
    assert others
    assert all(name.endswith((".yaml", ".yml")) for name in others), others
