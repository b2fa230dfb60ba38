"""Kill ``jetbot run`` with SIGKILL while reminders are due; every one arrives exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from pathlib import Path

from bot.replies import plain
from tests.e2e.botapi import BotApiServer, Fault
from tests.e2e.conftest import JETBOT, TOKEN

USERS = tuple(range(4001, 4006))


async def start_bot(
    server: BotApiServer, database: Path, extra: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "JETBOT_DATABASE": str(database),
        **(extra or {}),
    }
    polls = len(server.calls("getUpdates"))
    process = await asyncio.create_subprocess_exec(
        JETBOT, "run",
        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    await server.wait_for_call("getUpdates", lambda _: len(server.calls("getUpdates")) > polls)
    return process


def delivered(server: BotApiServer) -> Counter[str]:
    return Counter(plain(m["text"]) for m in server.sent_messages() if m["text"].startswith("⏰"))


async def until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_sigkill_mid_send_then_restart_delivers_each_reminder_once(
    server: BotApiServer, tmp_path: Path
) -> None:
    database = tmp_path / "jetbot.sqlite3"
    bot = await start_bot(server, database)
    try:
        # Wave 1 is delivered and marked sent before the crash: it must not come again.
        for user in USERS:
            server.user_message(user, f"/remind in 2 seconds wave1 {user}")
        await until(lambda: len(delivered(server)) == len(USERS), 20)

        # Wave 2 is in flight (Telegram is slow to answer) when the bot is killed;
        # wave 3 falls due while the bot is down.
        for user in USERS:
            server.user_message(user, f"/remind in 3 seconds wave2 {user}")
            server.user_message(user, f"/remind in 7 seconds wave3 {user}")
        await until(lambda: len(server.sent_messages()) == 4 * len(USERS), 20)
        server.inject("sendMessage", Fault.delay(60), times=None)
        await until(
            lambda: (
                sum("wave2" in c.params.get("text", "") for c in server.calls("sendMessage"))
                == len(USERS)
            ),
            20,
        )
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    assert bot.returncode == -signal.SIGKILL

    server.clear_faults()
    await asyncio.sleep(5)  # wave 3 falls due meanwhile
    bot = await start_bot(server, database)
    try:
        expected = {f"⏰ wave{wave} {user}" for wave in (1, 2, 3) for user in USERS}
        await until(lambda: set(delivered(server)) >= expected, 40)
        await asyncio.sleep(2)  # anything sent twice would show up by now
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    counts = delivered(server)
    assert set(counts) == expected
    assert set(counts.values()) == {1}, {text: n for text, n in counts.items() if n > 1}


STAFF = 8001
APPLICANTS = tuple(range(8101, 8121))


async def test_sigkill_mid_broadcast_then_restart_finishes_it_once(
    server: BotApiServer, tmp_path: Path
) -> None:
    database = tmp_path / "jetbot.sqlite3"
    extra = {"JETBOT_STAFF_IDS": str(STAFF)}
    bot = await start_bot(server, database, extra)
    slow = APPLICANTS[::2]
    try:
        for user in (*APPLICANTS, STAFF):
            server.user_message(user, "hello")
        await until(lambda: len(server.sent_messages()) == len(APPLICANTS) + 1, 20)
        for user in slow:
            server.inject("sendMessage", Fault.delay(60), chat_id=user, times=None)

        server.user_message(STAFF, "/broadcast all Info session on Friday")
        [_, preview] = await server.wait_for_messages(STAFF, 2)
        server.press_button(STAFF, preview["message_id"], preview_confirm(preview))
        announced = "📢 Info session on Friday"
        await until(lambda: delivered_to(server, announced) >= len(APPLICANTS) // 2 + 1, 20)
        await until(
            lambda: sum(c.chat_id in slow for c in server.calls("sendMessage")) >= 2 * len(slow),
            20,
        )
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()

    server.clear_faults()
    bot = await start_bot(server, database, extra)
    try:
        await until(lambda: delivered_to(server, announced) == len(APPLICANTS) + 1, 40)
        report = "Broadcast #1 finished: 21 sent, 0 blocked the bot, 0 failed."
        await until(lambda: report in [plain(m["text"]) for m in server.sent_messages(STAFF)], 20)
        await asyncio.sleep(2)  # a duplicate would show up by now
    finally:
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    for user in (*APPLICANTS, STAFF):
        texts = [plain(m["text"]) for m in server.sent_messages(user)]
        assert texts.count(announced) == 1, (user, texts)
    staff_texts = [plain(m["text"]) for m in server.sent_messages(STAFF)]
    assert staff_texts.count(report) == 1


def preview_confirm(message: dict) -> str:  # type: ignore[type-arg]
    rows = message["reply_markup"]["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == "Confirm")


def delivered_to(server: BotApiServer, text: str) -> int:
    return sum(plain(m["text"]) == text for m in server.sent_messages())
