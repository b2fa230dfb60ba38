"""``jetbot stats`` and ``jetbot kb unanswered`` against a database file."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

import pytest

import bot.cli_db
from bot.cli import main
from bot.config import BUNDLED_KNOWLEDGE
from bot.evaluation import LabelledQuestion, load_questions
from bot.insights import record_question
from bot.knowledge import Topic
from bot.matcher import Match, Outcome
from bot.store import NewReminder, open_sqlite
from tests.conftest import NOW

UNANSWERED = [
    ("when is the embassy open day", 3),
    ('what does "JET" stand for: really? #1', 2),
    ("JETプログラムの給料はいくらですか", 1),
]

ALT = Topic("positions.alt", "ALT", ("what is an alt",), "An ALT teaches.")


class FrozenDatetime(datetime):
    """datetime whose now() is the tests' NOW, so the figures do not depend on the day."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> FrozenDatetime:
        moment = NOW if tz is None else NOW.astimezone(tz)
        return cls.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)


async def populate(path: Path) -> None:
    store = await open_sqlite(path)
    try:
        await store.touch_user(1, 1, NOW - timedelta(days=1))
        await store.set_stage(1, "interview", None, None, [], NOW)
        await store.touch_user(2, 2, NOW - timedelta(days=20))
        await store.touch_user(3, 3, NOW)
        await store.mark_inactive(3)
        await store.add_reminders(
            [NewReminder(1, 1, "Bring passport", NOW + timedelta(days=1), "UTC")], NOW
        )
        fallback = Match(Outcome.FALLBACK, 12.0)
        for text, times in UNANSWERED:
            for _ in range(times):
                await record_question(store, text, fallback, NOW - timedelta(hours=2))
        answered = Match(Outcome.ANSWER, 90.0, topic=ALT)
        await record_question(store, "what is an alt", answered, NOW)
        await store.record_vote("positions.alt", True, "voter", NOW)
    finally:
        await store.close()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "jetbot.sqlite3"
    monkeypatch.setenv("JETBOT_DATABASE", str(path))
    monkeypatch.setenv("JETBOT_KNOWLEDGE", str(BUNDLED_KNOWLEDGE))
    monkeypatch.setattr(bot.cli_db, "datetime", FrozenDatetime)
    return path


@pytest.fixture
def populated(database: Path) -> Path:
    asyncio.run(populate(database))
    return database


@pytest.fixture
def empty(database: Path) -> Path:
    async def create() -> None:
        await (await open_sqlite(database)).close()

    asyncio.run(create())
    return database


# -- jetbot stats --------------------------------------------------------------------------


def test_stats_prints_the_figures(populated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Users: 3 total, 2 active in 7 days, 1 blocked the bot" in out
    assert "interview 1" in out
    assert "(not set) 2" in out
    assert "Questions: 7 in 24 h, 7 in 7 days" in out
    assert "answered 14%" in out
    assert "fallback 86%" in out
    assert "Top topics (7 days): positions.alt 1" in out
    assert "Helpful votes: positions.alt 100% of 1" in out
    assert "Reminders: pending 1, sent 0, failed 0" in out


def test_stats_of_an_empty_database(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    assert "Users: 0 total, 0 active in 7 days, 0 blocked the bot" in capsys.readouterr().out


# -- jetbot kb unanswered --------------------------------------------------------------------


def test_unanswered_writes_a_file_kb_eval_accepts(
    populated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "unanswered.yaml"
    assert main(["kb", "unanswered", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote 3 question(s) to {out}" in printed
    assert f"jetbot kb eval {out}" in printed
    assert load_questions(out) == [LabelledQuestion(text, None) for text, _ in UNANSWERED]
    assert "# asked 3 time(s)" in out.read_text(encoding="utf-8")

    assert main(["kb", "eval", str(out)]) == 0
    report = capsys.readouterr().out
    assert "fallback on out-of-scope" in report
    assert "top-1:      n/a  (none in this set)" in report  # every topic is still null


def test_unanswered_prints_the_yaml_without_out(
    populated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "unanswered", "--limit", "2"]) == 0
    printed = capsys.readouterr().out
    path = tmp_path / "printed.yaml"
    path.write_text(printed, encoding="utf-8")
    assert [q.question for q in load_questions(path)] == [text for text, _ in UNANSWERED[:2]]


def test_unanswered_of_an_empty_database(
    empty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "unanswered.yaml"
    assert main(["kb", "unanswered", "--out", str(out)]) == 0
    assert "wrote 0 question(s)" in capsys.readouterr().out
    assert load_questions(out) == []
    assert main(["kb", "eval", str(out)]) == 0


# -- no database ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["stats"], ["kb", "unanswered"]])
def test_missing_database_is_a_clear_error(
    database: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "unanswered.yaml"
    args = [*command, "--out", str(out)] if command[0] == "kb" else command
    assert main(args) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"jetbot: no database at {database} (JETBOT_DATABASE)\n"
    assert not database.exists(), "a mistyped path must not create an empty database"
    assert not database.parent.exists()
    assert not out.exists()
