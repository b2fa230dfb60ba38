"""The help desk end to end over HTTP: an applicant's question reaches the staff chat and
the staff answer reaches the applicant, through restarts and flood waits, once each."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

from bot.desk_settings import DeskSettings
from bot.replies import plain
from tests.e2e.botapi import BotApiServer, Fault
from tests.e2e.conftest import eventually, running_bot
from tests.e2e.test_restart import start_bot

STAFF = 9001
STAFF_CHAT = -1009001
APPLICANT = 9101
OUTSIDER = 9201
FALLBACK = "what is the weather like in hokkaido"
ANSWER = "Snowy winters and mild summers."
DESK = DeskSettings(STAFF_CHAT, None, "the JET desk")
ENV = {
    "JETBOT_STAFF_IDS": str(STAFF),
    "JETBOT_STAFF_CHAT_ID": str(STAFF_CHAT),
    "JETBOT_OFFICE_HOURS": "Mon-Sun 00:00-24:00 UTC",
    "JETBOT_OFFICE_NAME": "the JET desk",
}


def button(message: dict[str, Any], label: str) -> str:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


def texts(server: BotApiServer, chat: int) -> list[str]:
    return [plain(m.get("text", "")) for m in server.sent_messages(chat)]


async def stop(bot: asyncio.subprocess.Process) -> None:
    bot.send_signal(signal.SIGTERM)
    await bot.wait()


async def test_a_ticket_survives_restarts_and_flood_waits(
    server: BotApiServer, tmp_path: Path
) -> None:
    database = tmp_path / "jetbot.sqlite3"

    # 1. The bot cannot answer: it offers a person.
    bot = await start_bot(server, database, ENV)
    try:
        server.user_message(APPLICANT, FALLBACK)
        [fallback] = await server.wait_for_messages(APPLICANT, 1)
        ask = button(fallback, "🙋 Ask a person")
    finally:
        await stop(bot)

    # 2. After a restart, the button still knows the question.
    bot = await start_bot(server, database, ENV)
    try:
        server.press_button(APPLICANT, fallback["message_id"], ask)
        [_, confirmation] = await server.wait_for_messages(APPLICANT, 2)
        assert FALLBACK in plain(confirmation["text"])
        send = button(confirmation, "📨 Send")
    finally:
        await stop(bot)

    # 3. After another, Send: the ticket reaches the staff chat despite a 429.
    bot = await start_bot(server, database, ENV)
    try:
        server.inject("sendMessage", Fault.retry_after(1), chat_id=STAFF_CHAT)
        server.press_button(APPLICANT, confirmation["message_id"], send)
        [post] = await server.wait_for_messages(STAFF_CHAT, 1, timeout=20)
        passed_on = server.message(APPLICANT, confirmation["message_id"])
        assert passed_on is not None
        assert plain(passed_on["text"]).startswith("📨 Question #1 passed on to the JET desk.")
        assert "The office is open now" in plain(passed_on["text"])
        assert plain(post["text"]).startswith("🎫 Ticket #1\nFrom: an applicant (name not shared)")
        assert [c.status for c in server.calls("sendMessage") if c.chat_id == STAFF_CHAT] == [
            429,
            200,
        ]
    finally:
        await stop(bot)

    # 4. After another, a staff member replies in the group: the applicant gets it, signed
    #    by the office, despite a 429.
    bot = await start_bot(server, database, ENV)
    try:
        server.inject("sendMessage", Fault.retry_after(1), chat_id=APPLICANT)
        server.group_message(STAFF_CHAT, STAFF, ANSWER, reply_to=post["message_id"])
        [_, ack] = await server.wait_for_messages(STAFF_CHAT, 2)
        assert plain(ack["text"]).startswith("✅ Ticket #1: your answer is on its way")
        [*_, answer] = await server.wait_for_messages(APPLICANT, 3, timeout=20)
        assert plain(answer["text"]) == (
            f"💬 Answer from the JET desk · question #1\n\n{ANSWER}\n\n"
            "Reply to this message to add to your question."
        )
        statuses = [c.status for c in server.calls("sendMessage") if c.chat_id == APPLICANT]
        assert statuses[-2:] == [429, 200]
        await asyncio.sleep(2)  # anything sent twice would show up by now
    finally:
        await stop(bot)

    assert [t for t in texts(server, STAFF_CHAT) if t.startswith("🎫 Ticket #1")] == [
        plain(post["text"])
    ]
    assert [t for t in texts(server, APPLICANT) if t.startswith("💬")] == [plain(answer["text"])]


async def open_ticket(server: BotApiServer, applicant: int = APPLICANT) -> dict[str, Any]:
    """Fallback, Ask a person, Send; the post in the staff chat."""
    before = len(server.sent_messages(STAFF_CHAT))
    server.user_message(applicant, FALLBACK)
    [fallback] = await server.wait_for_messages(applicant, 1)
    server.press_button(applicant, fallback["message_id"], button(fallback, "🙋 Ask a person"))
    [_, confirmation] = await server.wait_for_messages(applicant, 2)
    server.press_button(applicant, confirmation["message_id"], button(confirmation, "📨 Send"))
    *_, post = await server.wait_for_messages(STAFF_CHAT, before + 1)
    return post


async def test_a_non_staff_member_of_the_staff_chat_can_neither_answer_nor_close(
    server: BotApiServer,
) -> None:
    async with running_bot(server, staff=frozenset({STAFF}), desk=DESK) as bot:
        post = await open_ticket(server)
        server.group_message(STAFF_CHAT, OUTSIDER, "Wrong answer.", reply_to=post["message_id"])
        server.group_message(STAFF_CHAT, OUTSIDER, "/close 1")
        server.press_button(
            OUTSIDER, post["message_id"], button(post, "✖️ Close"), chat_id=STAFF_CHAT
        )
        await server.wait_for_call("answerCallbackQuery")
        server.group_message(STAFF_CHAT, STAFF, "/tickets")
        [_, listing] = await server.wait_for_messages(STAFF_CHAT, 2)
        assert "#1 · 0 min · open:" in plain(listing["text"])
        assert len(server.sent_messages(APPLICANT)) == 2, "nothing reached the applicant"
        store = bot.bot_data.services.store
        ticket = await store.get_ticket(1)
        assert ticket is not None
        assert ticket.status.value == "open"

        server.press_button(STAFF, post["message_id"], button(post, "✖️ Close"), chat_id=STAFF_CHAT)
        [*_, closed] = await server.wait_for_messages(STAFF_CHAT, 3)
        assert plain(closed["text"]) == "Ticket #1 closed."


async def test_forget_removes_the_applicants_tickets(server: BotApiServer) -> None:
    async with running_bot(server, staff=frozenset({STAFF}), desk=DESK) as bot:
        post = await open_ticket(server)
        server.user_message(APPLICANT, "/forget")
        [*_, confirm] = await server.wait_for_messages(APPLICANT, 3)
        server.press_button(APPLICANT, confirm["message_id"], "fg:yes")
        store = bot.bot_data.services.store

        async def gone() -> bool:
            return await store.get_ticket(1) is None

        await eventually(gone)
        assert await store.fetch("SELECT id FROM ticket_messages") == []
        server.group_message(STAFF_CHAT, STAFF, "Hello?", reply_to=post["message_id"])
        [_, reply] = await server.wait_for_messages(STAFF_CHAT, 2)
        assert "no longer exists" in plain(reply["text"])
        await asyncio.sleep(0.5)
        assert len(server.sent_messages(APPLICANT)) == 3, "the answer went nowhere"
