"""``jetbot chat`` runs the real handlers; buttons are numbered and picked by number."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE, Settings
from handlers.console import run_chat


def chat(*lines: str) -> str:
    out = io.StringIO()
    # In memory, as `jetbot chat` runs: nothing is written into the repository.
    settings = Settings(knowledge=BUNDLED_KNOWLEDGE, database=Path(":memory:"))
    run_chat(settings, Answers.load(BUNDLED_KNOWLEDGE), io.StringIO("\n".join(lines) + "\n"), out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def test_menu_buttons_are_numbered_and_pickable() -> None:
    out = chat("/start", "2")
    assert "[2] 🧑‍🏫 Positions" in out
    after = out.split("[6] ❓ Ask a question", 1)[1]
    assert "What an ALT is" in after
    assert "⬅️ Back" in after


def test_a_did_you_mean_or_follow_up_pick_answers() -> None:
    out = chat("what is an ALT", "1")
    first, second = out.split("[1]", 1)[0], out.split("[1]", 1)[1]
    assert "ALT" in first
    assert second.count("\n\n") >= 1, "picking a follow-up prints another answer"


def test_unknown_numbers_and_commands_are_handled() -> None:
    out = chat("/nonsense", "99")
    assert "don't know that command" in out
    assert "Traceback" not in out


def test_answers_are_plain_text_in_the_terminal() -> None:
    out = chat("what is an ALT")
    assert "<b>" not in out
    assert "&quot;" not in out


@pytest.mark.parametrize("quit_", ["/quit", "/exit", "/QUIT"])
def test_quit_ends_the_chat_without_asking_the_bot(quit_: str) -> None:
    out = chat("what is an ALT", quit_, "what is a CIR")
    assert "ALT" in out
    assert "don't know that command" not in out
    assert "Coordinator for International Relations" not in out, "nothing after /quit is read"
