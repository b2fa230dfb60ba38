"""Staff tools end to end: live knowledge-base edits, access control, broadcasts."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.config import BUNDLED_KNOWLEDGE
from bot.replies import UNKNOWN_COMMAND, plain
from tests.e2e.botapi import BotApiServer
from tests.e2e.conftest import eventually, running_bot

STAFF = 7001
APPLICANTS = (7101, 7102, 7103, 7104)

NEW_TOPIC = """
topics:
  - id: contact.open-day
    title: The embassy open day
    questions:
      - when is the embassy open day
      - open day date
    answer: The open day is announced on the embassy's website.
"""


def copy_knowledge(tmp_path: Path) -> Path:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, knowledge)
    return knowledge


def callback_data(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


async def test_edited_knowledge_is_live_and_a_broken_file_keeps_the_old(
    server: BotApiServer, tmp_path: Path
) -> None:
    knowledge = copy_knowledge(tmp_path)
    async with running_bot(server, knowledge, staff=frozenset({STAFF})):
        (knowledge / "open-day.yaml").write_text(NEW_TOPIC, encoding="utf-8")
        [notice] = await server.wait_for_messages(STAFF, 1, timeout=8)
        assert plain(notice["text"]).startswith("Knowledge base reloaded:")
        server.user_message(APPLICANTS[0], "tell me about the embassy open day")
        [answer] = await server.wait_for_messages(APPLICANTS[0], 1)
        assert plain(answer["text"]).startswith("The embassy open day")

        broken = knowledge / "open-day.yaml"
        broken.write_text(NEW_TOPIC.replace("    answer:", "    anwser:"), encoding="utf-8")
        _, error = await server.wait_for_messages(STAFF, 2, timeout=8)
        shown = plain(error["text"])
        assert "NOT reloaded" in shown
        line = (
            broken.read_text()
            .splitlines()
            .index("    anwser: The open day is announced on the embassy's website.")
            + 1
        )
        assert f"{broken}:{line}: topic 'contact.open-day': unknown key 'anwser'" in shown

        server.user_message(APPLICANTS[0], "tell me about the embassy open day")
        _, again = await server.wait_for_messages(APPLICANTS[0], 2)
        assert plain(again["text"]).startswith("The embassy open day"), "old version serves"

        server.user_message(STAFF, "/reload")
        *_, reply = await server.wait_for_messages(STAFF, 3)
        assert "NOT reloaded" in plain(reply["text"])


async def test_non_staff_are_refused_like_any_unknown_command(server: BotApiServer) -> None:
    outsider = APPLICANTS[1]
    async with running_bot(server, staff=frozenset({STAFF})) as bot:
        server.user_message(STAFF, "/broadcast all Staff only")
        [preview] = await server.wait_for_messages(STAFF, 1)
        confirm = callback_data(preview)[0]
        assert confirm.startswith("bc:yes:")

        for command in ("/reload", "/stats", "/unanswered", "/broadcast all Hello"):
            server.user_message(outsider, command)
        replies = await server.wait_for_messages(outsider, 4)
        assert [plain(r["text"]) for r in replies] == [UNKNOWN_COMMAND] * 4
        server.press_button(outsider, replies[0]["message_id"], confirm, check_button=False)
        await server.wait_for_call("answerCallbackQuery")

        server.user_message(outsider, "/help")
        *_, help_text = await server.wait_for_messages(outsider, 5)
        assert "/broadcast" not in help_text["text"]
        store = bot.bot_data.services.store
        rows = await store.fetch("SELECT status FROM broadcasts")
        assert [row[0] for row in rows] == ["draft"], "the forged press queued nothing"
        assert len(server.sent_messages(outsider)) == 5


async def test_broadcast_to_a_stage_reaches_exactly_that_stage(server: BotApiServer) -> None:
    stages = {7101: "interview", 7102: "interview", 7103: "results", 7104: None}
    async with running_bot(server, staff=frozenset({STAFF})):
        for user, stage in stages.items():
            server.user_message(user, f"/stage {stage}" if stage else "hello")
        for user in stages:
            await server.wait_for_messages(user, 1)

        server.user_message(STAFF, "/broadcast interview Good luck with your interview!")
        [preview] = await server.wait_for_messages(STAFF, 1)
        assert "2 recipient(s)" in plain(preview["text"])
        server.press_button(STAFF, preview["message_id"], callback_data(preview)[0])

        for user in (7101, 7102):
            _, announcement = await server.wait_for_messages(user, 2)
            assert plain(announcement["text"]) == "📢 Good luck with your interview!"
        report = await server.wait_for_messages(STAFF, 2, timeout=10)
        assert (
            plain(report[-1]["text"])
            == "Broadcast #1 finished: 2 sent, 0 blocked the bot, 0 failed."
        )
        assert len(server.sent_messages(7103)) == 1
        assert len(server.sent_messages(7104)) == 1

        server.press_button(
            STAFF, preview["message_id"], callback_data(preview)[0], check_button=False
        )
        await eventually(lambda: _answered(server, 2))
        assert len(server.sent_messages(7101)) == 2, "a second Confirm sends nothing"


async def _answered(server: BotApiServer, count: int) -> bool:
    return len(server.calls("answerCallbackQuery")) >= count
