"""Tests of the fake Bot API server, driven by a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import datetime as dtm
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from tests.e2e.botapi import BotApiServer, Fault

TOKEN = "123:TEST-TOKEN"
USER = 42
OTHER_USER = 7
REPO_ROOT = Path(__file__).resolve().parents[2]
MARKUP = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="yes"),
            InlineKeyboardButton("No", callback_data="no"),
        ]
    ]
)


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


def make_bot(server: BotApiServer, token: str = TOKEN, read_timeout: float = 5.0) -> Bot:
    return Bot(
        token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        request=HTTPXRequest(read_timeout=read_timeout),
    )


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with make_bot(server) as b:
        yield b


async def test_get_me_and_token_recorded(server: BotApiServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.id == 123  # taken from the token, as with real tokens
    assert me.username == "test_bot"
    assert me.first_name == "Test Bot"
    assert [call.token for call in server.calls("getMe")] == [TOKEN, TOKEN]


async def test_token_enforced_when_set(server: BotApiServer) -> None:
    server.token = TOKEN
    async with make_bot(server) as good:
        assert (await good.get_me()).id == 123
    with pytest.raises(InvalidToken):
        async with make_bot(server, token="999:WRONG"):  # initialising calls getMe
            pass
    assert server.requests[-1].token == "999:WRONG"
    assert server.requests[-1].status == 401


async def test_send_document_keeps_the_file(server: BotApiServer, bot: Bot) -> None:
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    sent = await bot.send_document(
        USER, InputFile(content, filename="dates.ics"), caption="<b>Your</b> dates"
    )
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.file_size) == ("dates.ics", len(content))
    assert sent.caption == "<b>Your</b> dates"
    [(message, data)] = server.sent_documents(USER)
    assert data == content
    assert message["message_id"] == sent.message_id
    # A document is a message too: it counts towards the flood limits like any other.
    assert [m["document"]["file_name"] for m in server.sent_messages(USER)] == ["dates.ics"]
    # An attach:// reference to another part of the form works too, as with Telegram.
    await bot.send_document(USER, InputFile(b"x", filename="a.txt", attach=True))
    assert server.sent_documents(USER)[-1][1] == b"x"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(USER, "file-id-that-does-not-exist")


async def test_send_message(server: BotApiServer, bot: Bot) -> None:
    now = dtm.datetime.now(dtm.UTC)
    first = await bot.send_message(USER, "hello")
    assert first.chat.id == USER
    assert first.chat.type == "private"
    assert first.text == "hello"
    assert first.from_user is not None
    assert first.from_user.is_bot
    assert first.date.tzinfo is not None
    assert abs(first.date - now) < dtm.timedelta(seconds=5)

    second = await bot.send_message(USER, "again")
    elsewhere = await bot.send_message(OTHER_USER, "other chat")
    assert second.message_id == first.message_id + 1
    assert elsewhere.message_id == 1
    # Users and the bot share a chat's message id sequence.
    assert server.user_message(USER, "hi") == second.message_id + 1

    assert [m["text"] for m in server.sent_messages(USER)] == ["hello", "again"]
    assert len(server.sent_messages()) == 3
    assert len(server.delivery_times(USER)) == 2
    assert server.delivery_times() == sorted(server.delivery_times())


async def test_send_message_validation(server: BotApiServer, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "  ")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(
            USER,
            "x",
            reply_markup=InlineKeyboardMarkup.from_button(
                InlineKeyboardButton("big", callback_data="d" * 65)
            ),
        )
    assert server.sent_messages() == []
    assert [call.status for call in server.calls("sendMessage")] == [400, 400, 400]


async def test_reply_markup_and_reply_echoed(bot: Bot) -> None:
    sent = await bot.send_message(USER, "Sure?", reply_markup=MARKUP)
    assert sent.reply_markup == MARKUP
    reply = await bot.send_message(USER, "reply", reply_to_message_id=sent.message_id)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "Sure?"


async def test_form_json_and_query_parameters(server: BotApiServer) -> None:
    url = f"{server.base_url}{TOKEN}"
    async with aiohttp.ClientSession() as session:
        # A numeric-looking text must stay a string although other form values are JSON.
        async with session.post(f"{url}/sendMessage", data={"chat_id": "42", "text": "123"}) as r:
            assert (await r.json())["result"]["text"] == "123"
        async with session.post(f"{url}/sendmessage", json={"chat_id": 42, "text": "true"}) as r:
            assert (await r.json())["result"]["chat"]["id"] == USER
        async with session.get(f"{url}/getMe") as r:
            assert (await r.json())["result"]["is_bot"] is True
        async with session.post(f"{url}/noSuchMethod") as r:
            assert r.status == 404
            assert await r.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
    assert [c.method for c in server.requests] == [
        "sendMessage",
        "sendMessage",
        "getMe",
        "noSuchMethod",
    ]
    assert server.requests[0].params == {"chat_id": 42, "text": "123"}


async def test_unknown_method_via_ptb(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


async def test_edit_message_text(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(USER, "v1", reply_markup=MARKUP)
    edited = await bot.edit_message_text(
        "v2", chat_id=USER, message_id=sent.message_id, reply_markup=MARKUP
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2"
    assert edited.edit_date is not None
    assert edited.reply_markup == MARKUP
    assert server.message(USER, sent.message_id)["text"] == "v2"  # type: ignore[index]
    assert server.sent_messages(USER)[0]["text"] == "v1"  # as delivered

    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "v2", chat_id=USER, message_id=sent.message_id, reply_markup=MARKUP
        )
    # Leaving out reply_markup drops the keyboard, which is a modification.
    cleared = await bot.edit_message_text("v2", chat_id=USER, message_id=sent.message_id)
    assert isinstance(cleared, Message)
    assert cleared.reply_markup is None

    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    user_message_id = server.user_message(USER, "mine")
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", chat_id=USER, message_id=user_message_id)


async def test_edit_message_reply_markup(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(USER, "pick", reply_markup=MARKUP)
    done = InlineKeyboardMarkup.from_button(InlineKeyboardButton("Done", callback_data="done"))
    edited = await bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=done
    )
    assert isinstance(edited, Message)
    assert edited.reply_markup == done
    assert edited.text == "pick"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=USER, message_id=sent.message_id, reply_markup=done
        )
    cleared = await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)
    assert isinstance(cleared, Message)
    assert cleared.reply_markup is None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_reply_markup(chat_id=USER, message_id=999, reply_markup=done)


async def test_simple_methods(server: BotApiServer, bot: Bot) -> None:
    assert await bot.delete_webhook(drop_pending_updates=False)
    assert (await bot.get_webhook_info()).url == ""
    commands = [BotCommand("start", "Start"), BotCommand("help", "Help")]
    assert await bot.set_my_commands(commands)
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.get_my_commands(language_code="ja") == ()
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad Command", "x")])
    assert await bot.send_chat_action(USER, "typing")
    sent = await bot.send_message(USER, "bye")
    assert await bot.delete_message(USER, sent.message_id)
    assert server.message(USER, sent.message_id) is None
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)
    assert await bot.log_out()
    assert await bot.close()


async def test_get_updates_long_polls(server: BotApiServer, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    loop.call_later(0.3, server.user_message, USER, "hi")
    updates = await bot.get_updates(timeout=5)
    elapsed = loop.time() - started
    assert 0.25 <= elapsed < 2
    [update] = updates
    assert update.message is not None
    assert update.message.text == "hi"
    assert update.message.chat.id == USER
    assert update.message.from_user is not None
    assert update.message.from_user.first_name == "Test"


async def test_get_updates_returns_empty_after_timeout(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert loop.time() - started >= 0.9


async def test_offsets_confirm_updates(server: BotApiServer, bot: Bot) -> None:
    for text in ("a", "b", "c"):
        server.user_message(USER, text)
    updates = await bot.get_updates()
    ids = [u.update_id for u in updates]
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    assert len(await bot.get_updates()) == 3  # not confirmed yet, so delivered again
    rest = await bot.get_updates(offset=ids[1])
    assert [u.update_id for u in rest] == ids[1:]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert server.pending_updates == []

    for text in ("d", "e", "f"):
        server.user_message(USER, text)
    assert [u.message.text for u in await bot.get_updates(limit=2)] == ["d", "e"]  # type: ignore[union-attr]
    assert [u.message.text for u in await bot.get_updates(offset=-1)] == ["f"]  # type: ignore[union-attr]
    assert len(server.pending_updates) == 1


async def test_allowed_updates(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(USER, "menu", reply_markup=MARKUP)
    server.user_message(USER, "text")
    server.press_button(USER, sent.message_id, "no")
    [update] = await bot.get_updates(allowed_updates=["callback_query"])
    assert update.callback_query is not None
    # The filtered-out message is gone for good, as with Telegram.
    assert [u.callback_query is not None for u in await bot.get_updates(allowed_updates=[])] == [
        True
    ]


async def test_user_messages_look_like_telegram(server: BotApiServer, bot: Bot) -> None:
    server.user_message(USER, "/start payload", first_name="Aiko")
    server.user_sticker(USER)
    server.user_photo(USER, caption="look")
    command, sticker, photo = (u.message for u in await bot.get_updates())
    assert command is not None
    assert command.text == "/start payload"
    assert command.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 6),)
    assert command.parse_entities(["bot_command"]) == {command.entities[0]: "/start"}
    assert command.chat.first_name == "Aiko"
    assert sticker is not None
    assert sticker.sticker is not None
    assert sticker.text is None
    assert photo is not None
    assert photo.photo[-1].width == 800
    assert photo.caption == "look"


async def test_press_button(server: BotApiServer, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Sure?", reply_markup=MARKUP)
    query_id = server.press_button(USER, sent.message_id, "yes")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.id == query_id
    assert query.data == "yes"
    assert query.from_user.id == USER
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert query.message.text == "Sure?"
    assert query.message.reply_markup == MARKUP

    assert await query.answer("noted")
    assert server.callback_answers[query_id]["text"] == "noted"
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()

    with pytest.raises(AssertionError, match="no button with callback_data 'maybe'"):
        server.press_button(USER, sent.message_id, "maybe")
    with pytest.raises(AssertionError, match="no bot message 99"):
        server.press_button(USER, 99, "yes")


async def test_group_messages_and_replies_in_them(server: BotApiServer, bot: Bot) -> None:
    group = -100123
    post = await bot.send_message(group, "🎫 Ticket #1", reply_markup=MARKUP)
    assert post.chat.type == "supergroup"
    server.group_message(group, USER, "An answer", reply_to=post.message_id)
    server.group_message(group, OTHER_USER, "/close 1")
    [answer, command] = [u.message for u in await bot.get_updates(timeout=0)]
    assert answer is not None
    assert command is not None
    assert (answer.chat.id, answer.from_user.id if answer.from_user else None) == (group, USER)
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "🎫 Ticket #1"
    assert command.text == "/close 1"
    assert command.entities[0].type == MessageEntity.BOT_COMMAND
    with pytest.raises(AssertionError, match="no message 99"):
        server.group_message(group, USER, "x", reply_to=99)
    server.press_button(USER, post.message_id, "yes", chat_id=group)
    [*_, pressed] = await bot.get_updates(timeout=0)
    assert pressed.callback_query is not None
    assert pressed.callback_query.from_user.id == USER


async def test_documents_both_ways(server: BotApiServer, bot: Bot) -> None:
    server.user_document(USER, "topics.yaml", b"topics: []\n")
    [update] = await bot.get_updates(timeout=0)
    assert update.message is not None
    document = update.message.document
    assert document is not None
    assert (document.file_name, document.file_size) == ("topics.yaml", 11)
    file = await bot.get_file(document.file_id)
    assert file.file_path is not None
    assert file.file_path.startswith(server.base_file_url)
    assert bytes(await file.download_as_bytearray()) == b"topics: []\n"
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")

    sent = await bot.send_document(USER, b"PK zip", filename="kb.zip", caption="the files")
    assert sent.document is not None
    assert (sent.document.file_name, sent.caption) == ("kb.zip", "the files")
    assert server.file_content(sent.document.file_id) == b"PK zip"
    assert server.sent_messages(USER)[-1]["document"]["file_name"] == "kb.zip"
    again = await bot.send_document(OTHER_USER, sent.document.file_id)
    assert again.document is not None
    assert server.file_content(again.document.file_id) == b"PK zip"


async def test_the_file_route_checks_token_and_path(server: BotApiServer) -> None:
    server.token = TOKEN
    server.user_document(USER, "a.yaml", b"a: 1")
    base = f"http://127.0.0.1:{server.port}/file/bot"
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{base}{TOKEN}/documents/file-1/a.yaml") as ok:
            assert (ok.status, await ok.read()) == (200, b"a: 1")
        async with session.get(f"{base}999:WRONG/documents/file-1/a.yaml") as wrong:
            assert wrong.status == 401
        async with session.get(f"{base}{TOKEN}/documents/file-9/a.yaml") as missing:
            assert missing.status == 404


async def test_retry_after(
    server: BotApiServer, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opt in to PTB's timedelta values; the int form raises a deprecation warning.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    server.inject("sendMessage", Fault.retry_after(3))
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER, "x")
    assert info.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(USER, "y")  # times=1: the next call goes through
    assert [c.fault for c in server.calls("sendMessage")] == [Fault.retry_after(3), None]
    assert [m["text"] for m in server.sent_messages()] == ["y"]


async def test_forbidden_and_server_error(server: BotApiServer, bot: Bot) -> None:
    server.inject("sendMessage", Fault.forbidden())
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "x")
    server.inject("sendMessage", Fault.server_error())
    with pytest.raises(NetworkError, match="Internal Server Error") as info:
        await bot.send_message(USER, "x")
    assert not isinstance(info.value, TimedOut)
    server.inject("getMe", Fault.server_error(502))
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    assert server.sent_messages() == []


async def test_chat_scoped_fault(server: BotApiServer, bot: Bot) -> None:
    injection = server.inject("sendMessage", Fault.forbidden(), chat_id=USER, times=None)
    for _ in range(3):
        with pytest.raises(Forbidden):
            await bot.send_message(USER, "x")
        await bot.send_message(OTHER_USER, "fine")
    assert injection.hits == 3
    assert server.sent_messages(USER) == []
    assert len(server.sent_messages(OTHER_USER)) == 3
    server.clear_faults()
    await bot.send_message(USER, "unblocked")
    assert len(server.sent_messages(USER)) == 1


async def test_delay_times_out_without_delivery(server: BotApiServer) -> None:
    server.inject("sendMessage", Fault.delay(0.8))
    async with make_bot(server, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "late")
        await asyncio.sleep(0.8)  # past the delay: the abandoned call must not be applied
        assert server.sent_messages() == []
        [call] = server.calls("sendMessage")
        assert call.fault == Fault.delay(0.8)
        assert call.status is None


async def test_delay_shorter_than_timeout_answers(server: BotApiServer, bot: Bot) -> None:
    server.inject("sendMessage", Fault.delay(0.2))
    assert (await bot.send_message(USER, "slow")).text == "slow"
    assert len(server.sent_messages()) == 1


async def test_delay_then_apply_delivers_despite_timeout(server: BotApiServer) -> None:
    server.inject("sendMessage", Fault.delay_then_apply(0.8))
    async with make_bot(server, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "dup?")
    assert [m["text"] for m in server.sent_messages(USER)] == ["dup?"]


async def test_concurrent_polling_conflicts(server: BotApiServer) -> None:
    async with make_bot(server) as first, make_bot(server) as second:
        polling = asyncio.create_task(first.get_updates(timeout=5))
        await server.wait_for_call("getUpdates")
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await polling


async def test_wait_for_messages(server: BotApiServer, bot: Bot) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.2)
        await bot.send_message(USER, "one")
        await bot.send_message(USER, "two")
        await bot.send_message(USER, "three")

    task = asyncio.create_task(send_later())
    messages = await server.wait_for_messages(USER, 2, timeout=5)
    assert [m["text"] for m in messages] == ["one", "two"]
    await task


async def test_wait_for_messages_timeout_is_clear(server: BotApiServer, bot: Bot) -> None:
    await bot.send_message(USER, "only")
    server.inject("sendMessage", Fault.forbidden(), chat_id=USER)
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "blocked")
    with pytest.raises(AssertionError) as info:
        await server.wait_for_messages(USER, 2, timeout=0.2)
    text = str(info.value)
    assert "waiting for 2 message(s) to chat 42" in text
    assert "got 1: ['only']" in text
    assert "sendMessage attempts to that chat: 2" in text


async def test_wait_for_call(server: BotApiServer, bot: Bot) -> None:
    async def act() -> None:
        await asyncio.sleep(0.1)
        await bot.send_chat_action(OTHER_USER, "typing")
        await bot.send_chat_action(USER, "typing")

    task = asyncio.create_task(act())
    call = await server.wait_for_call("sendChatAction", lambda c: c.chat_id == USER, timeout=5)
    assert call.params["action"] == "typing"
    await task
    with pytest.raises(AssertionError, match="waiting for a answerCallbackQuery call"):
        await server.wait_for_call("answerCallbackQuery", timeout=0.1)


async def test_standalone_process(tmp_path: Path) -> None:
    port_file = tmp_path / "port"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.botapi",
        "--port",
        "0",
        "--port-file",
        str(port_file),
        cwd=REPO_ROOT,
    )
    try:
        async with asyncio.timeout(10):
            while not port_file.exists():
                await asyncio.sleep(0.05)
        base = f"http://127.0.0.1:{int(port_file.read_text())}"
        async with Bot(TOKEN, base_url=f"{base}/bot") as bot, aiohttp.ClientSession() as http:
            async with http.post(
                f"{base}/_control/user_message", json={"user_id": USER, "text": "hi"}
            ) as response:
                assert (await response.json()) == {"message_id": 1}
            [update] = await bot.get_updates()
            assert update.message is not None
            await update.message.reply_text("hello")
            async with http.post(
                f"{base}/_control/wait_for_messages", json={"chat_id": USER, "count": 1}
            ) as response:
                assert [m["text"] for m in await response.json()] == ["hello"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 5) == 0
