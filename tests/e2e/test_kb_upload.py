"""The knowledge base from Telegram, end to end over HTTP: files downloaded through the Bot
API's file endpoint, checked, applied on Confirm, rolled back, exported; and a staff answer
turned into knowledge."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from bot.config import BUNDLED_KNOWLEDGE
from bot.replies import plain
from tests.e2e.botapi import BotApiServer
from tests.e2e.conftest import running_bot
from tests.e2e.test_tickets import APPLICANT, DESK, STAFF, STAFF_CHAT, button, open_ticket

OLD = "An ALT (Assistant Language Teacher) is a participant engaged in language instruction."
NEW = "An ALT is an assistant to Japanese teachers of English, in schools."
POSITIONS = (BUNDLED_KNOWLEDGE / "positions.yaml").read_text(encoding="utf-8")


async def ask(server: BotApiServer, user: int, question: str) -> str:
    count = len(server.sent_messages(user))
    server.user_message(user, question)
    *_, reply = await server.wait_for_messages(user, count + 1)
    return plain(reply["text"])


async def upload(server: BotApiServer, name: str, content: bytes) -> dict:  # type: ignore[type-arg]
    count = len(server.sent_messages(STAFF))
    server.user_document(STAFF, name, content)
    *_, reply = await server.wait_for_messages(STAFF, count + 1, timeout=20)
    return reply


async def test_an_upload_with_an_error_changes_nothing_and_a_good_one_goes_live(
    server: BotApiServer,
) -> None:
    async with running_bot(server, staff=frozenset({STAFF}), desk=DESK) as bot:
        assert OLD in await ask(server, APPLICANT, "what is an ALT")

        broken = POSITIONS.replace("    answer: |", "    answr: |", 1)
        line = broken.splitlines().index("    answr: |") + 1
        refused = plain((await upload(server, "positions.yaml", broken.encode()))["text"])
        assert refused.startswith("⚠️ Not applied:")
        assert f"positions.yaml:{line}: topic 'positions.overview': unknown key 'answr'" in refused
        assert "Nothing was changed." in refused
        assert [c.method for c in server.calls("getFile")] == ["getFile"]
        store = bot.bot_data.services.store
        assert await store.latest_kb_number() == 0
        assert OLD in await ask(server, APPLICANT, "what is an ALT")

        preview = await upload(server, "positions.yaml", POSITIONS.replace(OLD, NEW).encode())
        assert "Topics changed: positions.alt" in plain(preview["text"])
        assert OLD in await ask(server, APPLICANT, "what is an ALT"), "not before Apply"
        server.press_button(STAFF, preview["message_id"], button(preview, "✅ Apply"))
        await server.wait_for_call(
            "editMessageText", lambda c: "version 1 is live" in c.params.get("text", "")
        )
        assert NEW in await ask(server, APPLICANT, "what is an ALT")

        count = len(server.sent_messages(STAFF))
        server.user_message(STAFF, "/kb rollback 0")
        [*_, rolled] = await server.wait_for_messages(STAFF, count + 1)
        assert "version 2 is live" in plain(rolled["text"])
        assert OLD in await ask(server, APPLICANT, "what is an ALT")
        server.user_message(STAFF, "/kb rollback 1")
        await server.wait_for_messages(STAFF, count + 2)
        assert NEW in await ask(server, APPLICANT, "what is an ALT")


async def test_a_zip_upload_and_an_export(server: BotApiServer) -> None:
    async with running_bot(server, staff=frozenset({STAFF}), desk=DESK):
        count = len(server.sent_messages(STAFF))
        server.user_message(STAFF, "/kb export")
        [*_, sent] = await server.wait_for_messages(STAFF, count + 1)
        assert sent["document"]["file_name"] == "knowledge.zip"
        exported = server.file_content(sent["document"]["file_id"])
        names = zipfile.ZipFile(io.BytesIO(exported)).namelist()
        assert "knowledge/positions.yaml" in names

        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(exported)) as source, zipfile.ZipFile(buffer, "w") as copy:
            for name in source.namelist():
                text = source.read(name).decode()
                copy.writestr(name, text.replace(OLD, NEW))
            copy.writestr("../escape.yaml", "topics: []")
        refused = plain((await upload(server, "kb.zip", buffer.getvalue()))["text"])
        assert "../escape.yaml: the path leaves the knowledge directory" in refused

        preview = await upload(server, "knowledge.zip", exported)
        assert "It changes no topic." in plain(preview["text"])


async def test_add_to_knowledge_base_makes_the_ticket_question_answerable(
    server: BotApiServer,
) -> None:
    question = "what is the weather like in hokkaido"
    async with running_bot(server, staff=frozenset({STAFF}), desk=DESK):
        post = await open_ticket(server)
        server.group_message(STAFF_CHAT, STAFF, "Cold winters.", reply_to=post["message_id"])
        [_, ack] = await server.wait_for_messages(STAFF_CHAT, 2)
        server.press_button(
            STAFF, ack["message_id"], button(ack, "📚 Add to knowledge base"), chat_id=STAFF_CHAT
        )
        [*_, offer] = await server.wait_for_messages(STAFF_CHAT, 3)
        server.press_button(
            STAFF,
            offer["message_id"],
            button(offer, "✏️ New topic from the staff answer"),
            chat_id=STAFF_CHAT,
        )
        [*_, preview] = await server.wait_for_messages(STAFF_CHAT, 4, timeout=20)
        assert "Topics added: office.ticket-1" in plain(preview["text"])
        assert "before 0/1, after 1/1" in plain(preview["text"])
        server.press_button(
            STAFF, preview["message_id"], button(preview, "✅ Apply"), chat_id=STAFF_CHAT
        )
        await server.wait_for_call(
            "editMessageText", lambda c: "version 1 is live" in c.params.get("text", "")
        )
        answer = await ask(server, 9555, question)
        assert "Cold winters." in answer, "another applicant gets the answer now"


async def test_the_applied_version_serves_after_a_restart(
    server: BotApiServer, tmp_path: Path
) -> None:
    database = tmp_path / "jetbot.sqlite3"
    staff = frozenset({STAFF})
    async with running_bot(server, database=database, staff=staff, desk=DESK):
        preview = await upload(server, "positions.yaml", POSITIONS.replace(OLD, NEW).encode())
        server.press_button(STAFF, preview["message_id"], button(preview, "✅ Apply"))
        await server.wait_for_call(
            "editMessageText", lambda c: "version 1 is live" in c.params.get("text", "")
        )
    # The knowledge directory still holds the old text: the store's version wins.
    async with running_bot(server, database=database, staff=staff, desk=DESK):
        assert NEW in await ask(server, APPLICANT, "what is an ALT")
