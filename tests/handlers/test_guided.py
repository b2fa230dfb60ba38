"""Guided commands through the real Application: steps, buttons, /cancel, zones first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE, Settings
from bot.replies import plain
from handlers.context import BotApp
from tests.conftest import Clock
from tests.handlers.conftest import Chat, FakeTelegram, started_bot


def buttons(telegram: FakeTelegram) -> dict[str, str]:
    """The last message's buttons: label -> callback data."""
    rows: list[list[dict[str, Any]]] = (
        telegram.last().get("reply_markup", {}).get("inline_keyboard", [])
    )
    return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


async def set_zone(chat: Chat, zone: str = "London") -> None:
    [reply] = await chat.say(f"/timezone {zone}")
    assert reply.startswith("Your time zone is now")


# -- /remind, step by step -------------------------------------------------------------------


async def test_remind_alone_asks_when_then_the_zone_then_what(
    chat: Chat, telegram: FakeTelegram
) -> None:
    [when] = await chat.say("/remind")
    assert "When should I remind you?" in when
    assert set(buttons(telegram).values()) == {"gw:hour", "gw:tomorrow", "gw:type"}
    [typed] = await chat.press("gw:type")
    assert typed.startswith("Type when")
    [zone] = await chat.say("tomorrow 9am")
    assert "which time zone are you in?" in zone
    offered = buttons(telegram)
    assert "gzo:" in offered.values()
    london = next(data for label, data in offered.items() if label.startswith("Europe/London"))
    [what] = await chat.press(london)
    assert what.startswith("Your time zone is now Europe/London (UTC+00:00, now 12:00).")
    assert "What should I remind you of on Mon 11 Jan 2027, 09:00 (Europe/London" in what
    [done] = await chat.say("Call the embassy")
    assert plain(done).startswith(
        "Reminder #1 set for Mon 11 Jan 2027, 09:00 (Europe/London, UTC+00:00):\nCall the embassy"
    )


async def test_in_one_hour_needs_no_zone(chat: Chat) -> None:
    await chat.say("/remind")
    [what] = await chat.press("gw:hour")
    assert "What should I remind you of on Sun 10 Jan 2027, 13:00 (UTC" in what
    [done] = await chat.say("Stretch")
    assert "Reminder #1 set for Sun 10 Jan 2027, 13:00" in done


async def test_a_time_without_text_asks_for_the_text(chat: Chat) -> None:
    await set_zone(chat)
    [what] = await chat.say("/remind friday 14:00")
    assert "What should I remind you of on Fri 15 Jan 2027, 14:00" in what
    [done] = await chat.say("Send the form")
    assert "Reminder #1 set for Fri 15 Jan 2027, 14:00" in done


async def test_a_date_alone_gets_the_default_time_and_says_so(chat: Chat) -> None:
    await set_zone(chat)
    [done] = await chat.say("/remind 14 Feb Bring passport")
    assert "Sun 14 Feb 2027, 09:00 (Europe/London, UTC+00:00)" in done
    assert "No time given, so I used 09:00" in done


async def test_an_ambiguous_date_asks_which(chat: Chat, telegram: FakeTelegram) -> None:
    await set_zone(chat)
    [question] = await chat.say("/remind 03/04/2027 Call the embassy")
    assert "can be read two ways" in question
    choices = buttons(telegram)
    assert list(choices.values()) == ["gr:0", "gr:1"]
    first, second = list(choices)
    assert first.startswith("Sat 3 Apr 2027, 09:00")
    assert second.startswith("Thu 4 Mar 2027, 09:00")
    [done] = await chat.press("gr:1")
    assert "Reminder #1 set for Thu 4 Mar 2027, 09:00" in done
    assert "Call the embassy" in done
    # The question is closed: its buttons do nothing more.
    assert await chat.press("gr:0") == []
    assert "closed" in (chat.toasts()[-1] or "")


async def test_bad_input_at_a_step_explains_and_keeps_the_step(chat: Chat) -> None:
    await set_zone(chat)
    await chat.say("/remind")
    [error] = await chat.say("31 Feb")
    assert error.startswith("⚠️")
    assert "not a real date" in error
    assert "/cancel" in error
    [what] = await chat.say("1 Mar 10:00")
    assert "What should I remind you of on Mon 1 Mar 2027, 10:00" in what


# -- /stage, step by step ----------------------------------------------------------------------


async def test_stage_button_asks_the_date_then_the_zone(
    chat: Chat, telegram: FakeTelegram
) -> None:
    await chat.say("/stage")
    [change] = await chat.press("st:interview")
    assert "Your stage is now <b>Interview</b>." in change
    assert "When is your Interview?" in change
    assert buttons(telegram) == {"No date yet": "gnd:"}
    [zone] = await chat.say("14 Feb 10:30")
    assert "which time zone are you in?" in zone
    [done] = await chat.say("Tokyo")
    assert done.startswith("Your time zone is now Asia/Tokyo (UTC+09:00, now 21:00).")
    assert "on Sun 14 Feb 2027, 10:30 (Asia/Tokyo, UTC+09:00)" in done
    assert "I'll remind you:" in done


async def test_timezone_command_answers_the_zone_question(chat: Chat) -> None:
    await chat.say("/remind tomorrow 9am Call the embassy")
    [done] = await chat.say("/timezone Tokyo")
    assert done.startswith("Your time zone is now Asia/Tokyo")
    assert "Reminder #1 set for Mon 11 Jan 2027, 09:00 (Asia/Tokyo, UTC+09:00)" in done
    # Any other step is ended by /timezone, like by any command.
    await chat.say("/remind in 1 hour")
    await chat.say("/timezone London")
    [nothing] = await chat.say("/cancel")
    assert nothing.startswith("Nothing to cancel.")


async def test_no_date_yet_ends_the_step(chat: Chat) -> None:
    await chat.say("/stage interview")
    [reply] = await chat.press("gnd:")
    assert reply.startswith("OK, no date for now.")
    [answer] = await chat.say("what is an ALT")
    assert "⚠️" not in answer


async def test_stage_by_title_with_a_natural_date(chat: Chat) -> None:
    await set_zone(chat)
    [done] = await chat.say("/stage application review 14 Feb 10:30")
    assert "Your stage is now <b>Application review</b>" in done
    assert "Sun 14 Feb 2027, 10:30 (Europe/London, UTC+00:00)" in done
    [day_only] = await chat.say("/stage interview 2027-02-14")
    assert "No time given, so I used 09:00" in day_only


async def test_a_question_at_the_date_step_is_answered(chat: Chat) -> None:
    await chat.say("/stage interview")
    [answer] = await chat.say("what happens at the interview?")
    assert "⚠️" not in answer
    [nothing] = await chat.say("/cancel")
    assert nothing.startswith("Nothing to cancel.")


# -- /cancel and commands ending a step ------------------------------------------------------


async def test_cancel_ends_the_step_first(chat: Chat) -> None:
    await chat.say("/remind in 2 hours Call the embassy")
    await chat.say("/remind")
    [cancelled] = await chat.say("/cancel")
    assert cancelled == "Cancelled."
    [nothing] = await chat.say("/cancel")
    assert nothing.startswith("Nothing to cancel.")
    await chat.say("/remind")
    [step] = await chat.say("/cancel 1")
    assert "Reminder #1 is untouched" in step
    [done] = await chat.say("/cancel 1")
    assert done.startswith("Cancelled reminder #1")


async def test_a_new_command_ends_the_step(chat: Chat) -> None:
    await chat.say("/remind")
    [listing] = await chat.say("/reminders")
    assert "no reminders" in listing
    [answer] = await chat.say("what is an ALT")
    assert "ALT" in answer
    assert "⚠️" not in answer


async def test_a_step_expires_after_30_minutes(app: BotApp, chat: Chat) -> None:
    services = app.bot_data.services
    assert services is not None
    await chat.say("/remind")
    clock = services.clock
    assert isinstance(clock, Clock)
    clock.now += timedelta(minutes=31)
    [answer] = await chat.say("what is an ALT")
    assert "What should I remind you of" not in answer
    assert "⚠️" not in answer


# -- /timezone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("London", "Europe/London (UTC+00:00, now 12:00)"),
        ("Tokyo", "Asia/Tokyo (UTC+09:00, now 21:00)"),
        ("JST", "Asia/Tokyo (UTC+09:00"),
        ("+9", "Etc/GMT-9 (UTC+09:00"),
        ("UTC-5", "Etc/GMT+5 (UTC-05:00"),
        ("EST", "America/New_York (UTC-05:00"),
        ("europe/london", "Europe/London"),
    ],
)
async def test_zones_people_name(chat: Chat, typed: str, expected: str) -> None:
    [reply] = await chat.say(f"/timezone {typed}")
    assert reply.startswith(f"Your time zone is now {expected}")


async def test_fixed_offsets_and_abbreviations_carry_their_note(chat: Chat) -> None:
    [fixed] = await chat.say("/timezone UTC+9")
    assert "never changes for daylight saving" in fixed
    [est] = await chat.say("/timezone EST")
    assert "daylight saving" in est


@pytest.mark.parametrize(
    ("typed", "zone"), [("IST", "Asia/Kolkata"), ("New Zealand", "Pacific/Auckland")]
)
async def test_several_zones_ask_which(
    chat: Chat, telegram: FakeTelegram, typed: str, zone: str
) -> None:
    [question] = await chat.say(f"/timezone {typed}")
    assert "pick yours" in question
    assert f"gz:{zone}" in buttons(telegram).values()
    [done] = await chat.press(f"gz:{zone}")
    assert done.startswith(f"Your time zone is now {zone}")


async def test_etc_gmt_sign_is_warned_about(chat: Chat, telegram: FakeTelegram) -> None:
    [question] = await chat.say("/timezone Etc/GMT+9")
    assert "inverts the sign" in question
    assert {"gz:Etc/GMT+9", "gz:Etc/GMT-9"} <= set(buttons(telegram).values())


async def test_timezone_alone_asks_with_likely_zones(chat: Chat, telegram: FakeTelegram) -> None:
    chat.user["language_code"] = "pt-br"
    [prompt] = await chat.say("/timezone")
    assert "You haven't set a time zone" in prompt
    assert "gz:America/Sao_Paulo" in buttons(telegram).values()
    [done] = await chat.say("Sydney")
    assert done.startswith("Your time zone is now Australia/Sydney (UTC+11:00")


async def test_unknown_zone_explains_with_an_example(chat: Chat) -> None:
    [reply] = await chat.say("/timezone Atlantis")
    assert plain(reply).startswith("⚠️ 'Atlantis' is not a time zone I know")
    assert "e.g." in reply


@pytest.mark.parametrize("data", ["gz:Mars/Base", "gz:", "gz:" + "A" * 70, "gw:later", "gr:x"])
async def test_forged_guide_buttons_are_refused_quietly(chat: Chat, data: str) -> None:
    await chat.say("/remind")
    assert await chat.press(data) == []


# -- a restart in the middle of a dialog -------------------------------------------------------


@asynccontextmanager
async def bot_on(database: Path, telegram: FakeTelegram, answers: Answers) -> AsyncIterator[Chat]:
    settings = Settings(knowledge=BUNDLED_KNOWLEDGE, database=database)
    async with started_bot(settings, answers, telegram) as application:
        yield Chat(application, telegram)


async def test_a_restart_mid_dialog_loses_nothing(
    tmp_path: Path, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    database, telegram = tmp_path / "bot.sqlite3", FakeTelegram()
    async with bot_on(database, telegram, answers) as chat:
        await chat.say("/remind")
        await chat.press("gw:tomorrow")
        assert "which time zone are you in?" in telegram.texts()[-1]
    async with bot_on(database, telegram, answers) as chat:
        [what] = await chat.say("Tokyo")
        assert "What should I remind you of on Mon 11 Jan 2027, 09:00 (Asia/Tokyo" in what
    async with bot_on(database, telegram, answers) as chat:
        [done] = await chat.say("Call the embassy")
        assert "Reminder #1 set for Mon 11 Jan 2027, 09:00 (Asia/Tokyo, UTC+09:00)" in done
        [nothing] = await chat.say("/cancel")
        assert nothing.startswith("Nothing to cancel.")
