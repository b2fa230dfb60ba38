"""Guided commands, stable numbers, menu browsing and /calendar, end to end over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar

from bot.replies import FLOODING, TAPPING, plain
from bot.sending import LocalBudget
from tests.conftest import Clock
from tests.e2e.botapi import BotApiServer
from tests.e2e.conftest import USER, running_bot

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def labelled(message: dict[str, Any]) -> dict[str, str]:
    """A message's buttons: label -> callback data."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b["callback_data"] for row in rows for b in row if "callback_data" in b}


async def next_message(server: BotApiServer, count: int) -> dict[str, Any]:
    """The ``count``-th message to the user, once it has arrived."""
    return (await server.wait_for_messages(USER, count))[count - 1]


async def test_a_guided_reminder_survives_two_restarts(
    server: BotApiServer, tmp_path: Path
) -> None:
    database = tmp_path / "jetbot.sqlite3"
    async with running_bot(server, database=database, clock=Clock(NOW)):
        server.user_message(USER, "/remind")
        asked = await next_message(server, 1)
        assert "When should I remind you?" in asked["text"]
        server.press_button(USER, asked["message_id"], labelled(asked)["Tomorrow 9:00"])
        zone = await next_message(server, 2)
        assert "which time zone are you in?" in zone["text"]
    # The bot is stopped with a step waiting; a new Application on the same file goes on.
    async with running_bot(server, database=database, clock=Clock(NOW)):
        server.user_message(USER, "Tokyo")
        what = await next_message(server, 3)
        assert plain(what["text"]).startswith("Your time zone is now Asia/Tokyo (UTC+09:00")
        assert "What should I remind you of on Mon 11 Jan 2027, 09:00 (Asia/Tokyo" in what["text"]
    async with running_bot(server, database=database, clock=Clock(NOW)) as bot:
        server.user_message(USER, "Call the embassy")
        done = await next_message(server, 4)
        assert plain(done["text"]).startswith(
            "Reminder #1 set for Mon 11 Jan 2027, 09:00 (Asia/Tokyo, UTC+09:00):\nCall the embassy"
        )
        store = bot.bot_data.services.store
        assert await store.load_dialog(USER) is None
        [reminder] = await store.user_reminders(USER)
        assert reminder.due_at == datetime(2027, 1, 11, 0, 0, tzinfo=UTC)


async def test_cancel_ends_the_step_and_then_has_nothing_to_cancel(
    server: BotApiServer,
) -> None:
    async with running_bot(server, clock=Clock(NOW)):
        server.user_message(USER, "/stage interview")
        server.user_message(USER, "/cancel")
        server.user_message(USER, "/cancel")
        _, cancelled, nothing = await server.wait_for_messages(USER, 3)
        assert "When is your Interview?" in plain(_["text"])
        assert plain(cancelled["text"]) == "Cancelled."
        assert plain(nothing["text"]).startswith("Nothing to cancel.")


async def test_numbers_stay_the_same_across_zone_changes(server: BotApiServer) -> None:
    async with running_bot(server, clock=Clock(NOW)) as bot:
        server.user_message(USER, "/timezone Tokyo")
        server.user_message(USER, "/stage interview 2027-2-14 9:30")
        for zone in ("London", "New York", "UTC+9", "JST"):
            server.user_message(USER, f"/timezone {zone}")
        server.user_message(USER, "/cancel 2")
        server.user_message(USER, "/mydata")
        messages = await server.wait_for_messages(USER, 8)
        stage, cancelled, data = messages[1], messages[6], messages[7]
        for number in (1, 2, 3):
            assert f"• #{number} " in plain(stage["text"])
        assert plain(cancelled["text"]).startswith(
            "Cancelled reminder #2: Your interview is tomorrow"
        )
        shown = plain(data["text"])
        assert "Open reminders (2):" in shown
        assert "#1 · " in shown
        assert "#3 · " in shown
        assert "Past reminders, sent or cancelled: 1" in shown
        rows = await bot.bot_data.services.store.fetch(
            "SELECT number FROM reminders WHERE user_id = ? ORDER BY number", (USER,)
        )
        assert [row[0] for row in rows] == [1, 2, 3]  # never re-created, never renumbered


async def test_browsing_a_tap_a_second_for_two_minutes_is_never_a_flood(
    server: BotApiServer,
) -> None:
    # Telegram's pace (one message a second per chat) would make this test take two real
    # minutes; the guard's own clock is what the test is about.
    budget = LocalBudget(rate=1000, per_chat=0)
    async with running_bot(server, clock=Clock(NOW), budget=budget) as bot:
        services = bot.bot_data.services
        now = [5000.0]  # a monotonic clock of our own: two minutes pass without waiting
        services.flood_guard.clock = services.tap_guard.clock = lambda: now[0]
        server.user_message(USER, "/start")
        menu = await next_message(server, 1)
        for _ in range(120):
            current = server.message(USER, menu["message_id"])
            assert current is not None
            data = next(iter(labelled(current).values()))  # the first button, whatever it is
            query = server.press_button(USER, menu["message_id"], data)
            await server.wait_for_call(
                "answerCallbackQuery", lambda c, q=query: c.params["callback_query_id"] == q
            )
            now[0] += 1.0
        server.user_message(USER, "what is an ALT")
        answer = await next_message(server, 2)
        assert plain(answer["text"]) != FLOODING
        assert len(server.sent_messages(USER)) == 2  # the menu and the answer, nothing else
        toasts = [c.params.get("text") for c in server.calls("answerCallbackQuery")]
        assert len(toasts) == 120
        assert TAPPING not in toasts


async def test_calendar_file_reads_back_with_the_right_instants(server: BotApiServer) -> None:
    async with running_bot(server, clock=Clock(NOW)):
        server.user_message(USER, "/timezone New York")
        server.user_message(USER, "/stage interview 14 Feb 10:30")
        server.user_message(USER, "/remind 1 Feb 9am Book the train")
        await server.wait_for_messages(USER, 3)
        server.user_message(USER, "/calendar")
        await server.wait_for_call("sendDocument")
        server.user_message(USER, "/calendar")
        await server.wait_for_call(
            "sendDocument", lambda c: len(server.calls("sendDocument")) == 2
        )
        (first_message, first), (_, second) = server.sent_documents(USER)
    assert first_message["document"]["file_name"] == "jet-application.ics"
    assert "calendar file" in first_message["caption"]
    calendar = Calendar.from_ical(first)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    stage = events[f"stage-interview-{USER}@jetbot"]
    assert stage.decoded("DTSTART") == datetime(2027, 2, 14, 15, 30, tzinfo=UTC)
    triggers = [a.decoded("TRIGGER") for a in stage.walk("VALARM")]
    assert triggers[0] == datetime(2027, 2, 7, 15, 30, tzinfo=UTC)  # a week before, same clock
    own = events[f"reminder-4-{USER}@jetbot"]
    assert own.decoded("DTSTART") == datetime(2027, 2, 1, 14, 0, tzinfo=UTC)
    # A second export names the same events: importing it updates them.
    again = {str(e["UID"]) for e in Calendar.from_ical(second).walk("VEVENT")}
    assert again == set(events)
