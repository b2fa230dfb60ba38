"""The core knows nothing of Telegram: only the wiring and the console transport import it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "bot"
TELEGRAM_AWARE = {"app.py", "console.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted(p for p in CORE.glob("*.py") if p.name not in TELEGRAM_AWARE), ids=str
)
def test_core_module_does_not_import_telegram(path: Path) -> None:
    offending = {m for m in imported_modules(path) if m.split(".")[0] in ("telegram", "handlers")}
    assert not offending, f"{path.name} imports {offending}"
