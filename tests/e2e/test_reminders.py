"""Stages and reminders end to end: the real Application, the test Bot API over HTTP."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.replies import plain
from bot.store import Status
from tests.e2e.botapi import BotApiServer, Fault
from tests.e2e.conftest import USER, eventually, running_bot, small_knowledge

STAGE_AT = datetime(2030, 1, 1, 10, 0, tzinfo=UTC)


def stage_kb(tmp_path: Path) -> Path:
    """Stages whose default reminders fall seconds before the stage date."""
    return small_knowledge(
        tmp_path,
        """
topics:
  - id: selection.interview
    title: The interview
    questions: [what happens at the interview]
    answer: Applicants who pass the review are interviewed.
  - id: selection.results
    title: The results
    questions: [when are results announced]
    answer: Final results are announced.
stages:
  - id: interview
    title: Interview
    topic: selection.interview
    reminders:
      - {before: 1 minute, text: "first: your {stage} is at {time} ({zone})"}
      - {before: 58 seconds, text: "second: your {stage} is on {date}"}
      - {before: 2 minutes, text: "already past when the stage is set"}
  - id: results
    title: Results
    topic: selection.results
""",
    )


def offset_clock(start: datetime) -> Any:
    """A clock that reads ``start`` now and runs at real speed."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [plain(m["text"]) for m in messages]


def callback_data(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


async def test_stage_with_a_date_gets_its_reminders(server: BotApiServer, tmp_path: Path) -> None:
    clock = offset_clock(STAGE_AT - timedelta(seconds=63))
    async with running_bot(server, stage_kb(tmp_path), clock=clock) as bot:
        server.user_message(USER, "/timezone UTC")
        server.user_message(USER, "/stage interview 2030-01-01 10:00")
        _, confirmation = await server.wait_for_messages(USER, 2)
        shown = plain(confirmation["text"])
        assert "Your stage is now Interview, on Tue 1 Jan 2030, 10:00 (UTC, UTC+00:00)" in shown
        assert "first: your interview is at 10:00 (UTC)" in shown
        assert "1 earlier reminder(s) skipped" in shown
        assert "Applicants who pass the review are interviewed." in shown
        assert "What comes next: Results." in shown

        *_, first, second = await server.wait_for_messages(USER, 4, timeout=15)
        assert texts([first, second]) == [
            "⏰ first: your interview is at 10:00 (UTC)",
            "⏰ second: your interview is on Tue 01 Jan 2030",
        ]
        assert callback_data(first)[0].startswith("rs:")
        assert callback_data(first)[1].startswith("rd:")

        server.press_button(USER, first["message_id"], callback_data(first)[1])  # Done
        edit = await server.wait_for_call("editMessageText")
        assert plain(edit.params["text"]).endswith("✅ Done")
        assert "reply_markup" not in edit.params

        server.press_button(USER, second["message_id"], callback_data(second)[0])  # Snooze
        await server.wait_for_call("editMessageText", lambda c: "Snoozed" in c.params["text"])
        store = bot.bot_data.services.store
        [snoozed] = await store.user_reminders(USER)
        assert snoozed.text == "second: your interview is on Tue 01 Jan 2030"
        assert timedelta(minutes=59) < snoozed.due_at - clock() <= timedelta(hours=1)


async def test_bad_input_explains_and_changes_nothing(
    server: BotApiServer, tmp_path: Path
) -> None:
    async with running_bot(server, stage_kb(tmp_path)) as bot:
        for command in (
            "/remind 2020-01-01 09:00 Too late",
            "/remind 2027-02-30 09:00 No such day",
            "/remind 2h Call",
            "/remind in soon Call",
            "/timezone Mars/Olympus_Mons",
            "/stage interview 2020-01-01 10:00",
            "/stage nowhere",
            "/cancel 999",
        ):
            server.user_message(USER, command)
        replies = await server.wait_for_messages(USER, 8)
        assert all(text.startswith("⚠️") for text in texts(replies)), texts(replies)
        assert all(text.count("\n") == 0 for text in texts(replies))
        store = bot.bot_data.services.store
        assert await store.user_reminders(USER) == []
        user = await store.get_user(USER)
        assert user is not None
        assert (user.stage, user.timezone) == (None, None)


async def test_remind_list_and_cancel(server: BotApiServer, tmp_path: Path) -> None:
    async with running_bot(server, stage_kb(tmp_path)):
        server.user_message(USER, "/timezone europe/london")
        server.user_message(USER, "/remind 2028-07-01 09:00 Bring passport")
        server.user_message(USER, "/reminders")
        _, confirmation, listing = await server.wait_for_messages(USER, 3)
        assert "Sat 1 Jul 2028, 09:00 (Europe/London, UTC+01:00)" in plain(confirmation["text"])
        assert "Bring passport" in plain(listing["text"])
        [cancel] = callback_data(listing)
        server.press_button(USER, listing["message_id"], cancel)
        edit = await server.wait_for_call("editMessageText")
        assert "You have no reminders" in plain(edit.params["text"])


async def test_flood_limits_server_errors_and_timeouts_lose_nothing(
    server: BotApiServer,
) -> None:
    users = {2001: Fault.retry_after(1), 2002: Fault.server_error(502), 2003: Fault.delay(7)}
    async with running_bot(server):
        for user in users:
            server.user_message(user, f"/remind in 3 seconds note for {user}")
        for user in users:
            await server.wait_for_messages(user, 1)
        for user, fault in users.items():
            server.inject("sendMessage", fault, chat_id=user, times=2 if user == 2002 else 1)

        for user in users:
            _, reminder = await server.wait_for_messages(user, 2, timeout=40)
            assert plain(reminder["text"]) == f"⏰ note for {user}"
        for user in users:
            attempts = [c for c in server.calls("sendMessage") if c.chat_id == user]
            assert len(server.sent_messages(user)) == 2, "delivered exactly once"
            assert len(attempts) >= (4 if user == 2002 else 3)


async def test_a_timed_out_send_that_arrived_is_repeated_at_least_once(
    server: BotApiServer,
) -> None:
    """The documented choice: a send whose answer never came is sent again."""
    async with running_bot(server):
        server.user_message(USER, "/remind in 2 seconds take the form")
        await server.wait_for_messages(USER, 1)
        server.inject("sendMessage", Fault.delay_then_apply(7), chat_id=USER, times=1)
        _, first, second = await server.wait_for_messages(USER, 3, timeout=40)
        assert plain(first["text"]) == plain(second["text"]) == "⏰ take the form"


async def test_blocked_user_does_not_stop_others_and_resumes(server: BotApiServer) -> None:
    users = (3001, 3002, 3003)
    async with running_bot(server) as bot:
        for user in users:
            server.user_message(user, f"/remind in 3 seconds hello {user}")
        for user in users:
            await server.wait_for_messages(user, 1)
        server.inject("sendMessage", Fault.forbidden(), chat_id=3002, times=None)

        for user in (3001, 3003):
            _, reminder = await server.wait_for_messages(user, 2, timeout=20)
            assert plain(reminder["text"]) == f"⏰ hello {user}"
        store = bot.bot_data.services.store

        async def blocked() -> bool:
            user = await store.get_user(3002)
            return user is not None and not user.active

        await eventually(blocked)
        [paused] = await store.user_reminders(3002)
        assert paused.status is Status.PAUSED

        server.clear_faults()
        server.user_message(3002, "hi again")
        messages = await server.wait_for_messages(3002, 4, timeout=20)
        shown = texts(messages)
        assert "Welcome back! I've resumed your 1 paused reminder(s)." in shown
        assert "⏰ hello 3002" in shown


async def test_mydata_shows_everything_and_forget_deletes_it(server: BotApiServer) -> None:
    async with running_bot(server) as bot:
        server.user_message(USER, "/timezone Asia/Tokyo")
        server.user_message(USER, "/remind in 2 days Book the flight")
        server.user_message(USER, "/mydata")
        *_, data = await server.wait_for_messages(USER, 3)
        shown = plain(data["text"])
        assert f"Telegram user id: {USER}" in shown
        assert "Time zone: Asia/Tokyo" in shown
        assert "Book the flight" in shown

        server.user_message(USER, "/forget")
        *_, confirm = await server.wait_for_messages(USER, 4)
        assert "fg:no" in callback_data(confirm)
        server.press_button(USER, confirm["message_id"], "fg:yes")
        edit = await server.wait_for_call("editMessageText")
        assert "deleted everything" in edit.params["text"]
        store = bot.bot_data.services.store
        assert await store.get_user(USER) is None
        rows = await store.fetch("SELECT count(*) FROM reminders WHERE user_id = ?", (USER,))
        assert rows[0][0] == 0
