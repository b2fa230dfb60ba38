"""``jetbot kb eval --labelled`` and ``jetbot kb labelled``: the set staff built in Telegram."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import BUNDLED_KNOWLEDGE
from bot.evaluation import LabelledQuestion, load_questions
from bot.kb_files import directory_texts
from bot.store import open_sqlite
from tests.conftest import NOW

CATS = """\
topics:
  - id: positions.cats
    title: Cats
    questions:
      - where do ALTs teach cats
    answer: Nowhere.
"""


async def populate(path: Path, *, version: bool = False) -> None:
    store = await open_sqlite(path)
    try:
        await store.label_question("what is an alt", "positions.alt", "ticket", 9, NOW)
        await store.label_question("where do ALTs teach cats", "positions.alt", "ticket", 9, NOW)
        if version:
            files = directory_texts(BUNDLED_KNOWLEDGE)
            files["cats.yaml"] = CATS
            await store.add_kb_version(9, "upload", "cats", files, NOW)
    finally:
        await store.close()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "jetbot.sqlite3"
    monkeypatch.setenv("JETBOT_DATABASE", str(database))
    monkeypatch.setenv("JETBOT_KNOWLEDGE", str(BUNDLED_KNOWLEDGE))
    return database


def test_eval_labelled_scores_the_stored_set_on_the_files(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(populate(env))
    assert main(["kb", "eval", "--labelled", "--min-top1", "0.9"]) == 1
    out, err = capsys.readouterr()
    assert "in-scope top-1:   50.0%  (1/2)" in out
    assert f"2 labelled question(s) from the database, on {BUNDLED_KNOWLEDGE}" in err
    assert "below the floor" in err


def test_eval_labelled_uses_the_newest_stored_version(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(populate(env, version=True))
    code = main(["kb", "eval", "--labelled", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '"in_scope_top1": 0.5' in out, "the cats question now answers with positions.cats"
    assert "on stored version 1" in err


def test_a_file_or_labelled_not_both(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(populate(env))
    assert main(["kb", "eval"]) == 1
    assert main(["kb", "eval", "x.yaml", "--labelled"]) == 1
    assert "give a question file, or --labelled" in capsys.readouterr().err


def test_export_the_labelled_set(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(populate(env))
    out = tmp_path / "labelled.yaml"
    assert main(["kb", "labelled", "--out", str(out)]) == 0
    assert "wrote 2 labelled question(s)" in capsys.readouterr().out
    assert load_questions(out) == [
        LabelledQuestion("what is an alt", "positions.alt"),
        LabelledQuestion("where do ALTs teach cats", "positions.alt"),
    ]
    assert main(["kb", "labelled"]) == 0
    assert '- q: "what is an alt"' in capsys.readouterr().out


def test_without_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JETBOT_DATABASE", str(tmp_path / "none.sqlite3"))
    assert main(["kb", "eval", "--labelled"]) == 1
    assert "no database at" in capsys.readouterr().err
