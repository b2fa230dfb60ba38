"""Handlers driven one update at a time: the real Application, a fake Bot API in memory.

``FakeTelegram`` answers the Bot API calls the handlers make and keeps the chat
as Telegram would (including refusing an edit that changes nothing), so each
test sends an update through ``Application.process_update`` and reads the chat.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.request import RequestData

from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE, Settings
from bot.sending import LocalBudget
from handlers.app import build_application, running
from handlers.console import InProcessBotApi, ok
from handlers.context import BotApp
from tests.conftest import Clock
from tests.e2e.botapi import NOT_MODIFIED

USER = 1001
STAFF = 4242
BOT = {"id": 2, "is_bot": True, "first_name": "JET bot", "username": "jet_test_bot"}


class FakeTelegram(InProcessBotApi):
    """The Bot API as far as handlers use it, in memory."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.messages: dict[int, dict[str, Any]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.documents: list[tuple[str, bytes]] = []  # (file name, content) sent
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads

    def respond(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a download: the path getFile gave is the file id
            content = self.files.get(url.rsplit("/", 1)[-1])
            return (200, content) if content is not None else (404, b"Not Found")
        endpoint = url.rsplit("/", 1)[-1]
        params = self.parameters(request_data)
        self.calls.append((endpoint, params))
        if request_data is not None and request_data.multipart_data:
            for upload in request_data.multipart_data.values():
                name, content = str(upload[0]), upload[1]
                self.documents.append((name, content if isinstance(content, bytes) else b""))
        try:
            result = self.handle(endpoint, params)
        except ValueError as error:
            body = {"ok": False, "error_code": 400, "description": str(error)}
            return 400, json.dumps(body).encode()
        return ok(result)

    def parameters(self, request_data: RequestData | None) -> dict[str, Any]:
        if request_data is None:
            return {}
        params: dict[str, Any] = json.loads(json.dumps(request_data.parameters))
        for key, (filename, content, _) in request_data.multipart_data.items():
            # An upload: kept as a file the bot (and the test) can fetch.
            file_id = f"sent-{len(self.files) + 1}"
            self.files[file_id] = content if isinstance(content, bytes) else content.read()
            params[key] = {"file_id": file_id, "file_name": filename}
        return params

    def handle(self, endpoint: str, params: dict[str, Any]) -> object:
        if endpoint == "getMe":
            return BOT
        if endpoint == "getFile":
            file_id = str(params["file_id"])
            size = len(self.files.get(file_id, b""))
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": size,
                    "file_path": file_id}  # fmt: skip
        if endpoint == "sendDocument":
            chat = int(params["chat_id"])
            message = {
                "message_id": next(self.ids),
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
                "from": BOT,
                "document": {
                    **params["document"],
                    "file_unique_id": params["document"]["file_id"],
                },
            }
            if params.get("caption"):
                message["caption"] = params["caption"]
            self.messages[message["message_id"]] = message
            return message
        if endpoint == "sendMessage":
            chat = int(params["chat_id"])
            message = {
                "message_id": next(self.ids),
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
                "from": BOT,
                "text": params["text"],
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.messages[message["message_id"]] = message
            return message
        if endpoint in ("editMessageText", "editMessageReplyMarkup"):
            old = self.messages[int(params["message_id"])]
            new = {**old, "text": params.get("text", old["text"])}
            new.pop("reply_markup", None)
            if params.get("reply_markup") and params["reply_markup"].get("inline_keyboard"):
                new["reply_markup"] = params["reply_markup"]
            if new == old:
                raise ValueError(NOT_MODIFIED)
            self.messages[new["message_id"]] = new
            return new
        return True

    def sent(self, endpoint: str = "sendMessage") -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == endpoint]

    def texts(self) -> list[str]:
        return [params["text"] for params in self.sent()]

    def last(self) -> dict[str, Any]:
        return self.messages[max(self.messages)]


class Chat:
    """One user writing to the bot: messages and button presses as updates."""

    def __init__(
        self, app: BotApp, telegram: FakeTelegram, user: int = USER, chat: int | None = None
    ) -> None:
        self.app = app
        self.telegram = telegram
        self.user = {"id": user, "is_bot": False, "first_name": "Test"}
        self.chat = (
            {"id": user, "type": "private"}
            if chat is None
            else {"id": chat, "type": "supergroup", "title": "Staff"}
        )
        self.update_ids = itertools.count(1)

    async def say(self, text: str, reply_to: int | None = None) -> list[str]:
        """Send ``text`` (a Telegram reply to the bot's message ``reply_to``); the texts
        the bot sent back."""
        before = len(self.telegram.sent())
        entities = []
        if text.startswith("/"):
            length = len(text.split()[0])
            entities = [{"type": "bot_command", "offset": 0, "length": length}]
        message: dict[str, Any] = {
            "message_id": 10_000 + next(self.update_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "text": text,
            "entities": entities,
        }
        if reply_to is not None:
            message["reply_to_message"] = self.telegram.messages[reply_to]
        await self.process({"update_id": next(self.update_ids), "message": message})
        return [params["text"] for params in self.telegram.sent()[before:]]

    async def send_document(self, name: str, content: bytes) -> list[str]:
        """Send a file; the texts the bot sent back."""
        before = len(self.telegram.sent())
        file_id = f"upload-{len(self.telegram.files) + 1}"
        self.telegram.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                    "file_size": len(content)}  # fmt: skip
        message = {
            "message_id": 10_000 + next(self.update_ids),
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
            "document": document,
        }
        await self.process({"update_id": next(self.update_ids), "message": message})
        return [params["text"] for params in self.telegram.sent()[before:]]

    async def press(self, data: str, message_id: int | None = None) -> list[str]:
        """Press a button with ``data`` on a bot message (the last one by default)."""
        before = len(self.telegram.sent())
        message = self.telegram.messages[message_id or max(self.telegram.messages)]
        query = {
            "id": str(next(self.update_ids)),
            "from": self.user,
            "chat_instance": "test",
            "data": data,
            "message": {**message, "chat": self.chat},
        }
        await self.process({"update_id": next(self.update_ids), "callback_query": query})
        return [params["text"] for params in self.telegram.sent()[before:]]

    async def process(self, data: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(data, self.app.bot))

    def toasts(self) -> list[str | None]:
        return [params.get("text") for params in self.telegram.sent("answerCallbackQuery")]


@asynccontextmanager
async def started_bot(
    settings: Settings, answers: Answers, telegram: FakeTelegram
) -> AsyncIterator[BotApp]:
    """The whole bot over the fake Telegram, started without polling."""
    application = build_application(
        settings,
        answers,
        request=telegram,
        token="test",
        clock=Clock(),
        # One update at a time here: no need to space the replies out.
        budget=LocalBudget(rate=1000, per_chat=0),
    )
    async with running(application, polling=False):
        yield application


@pytest.fixture(scope="session")
def answers() -> Answers:
    """Built once: indexing the knowledge base is the slow part of starting the bot."""
    return Answers.load(BUNDLED_KNOWLEDGE)


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
async def app(
    telegram: FakeTelegram, answers: Answers, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[BotApp]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    settings = Settings(
        knowledge=BUNDLED_KNOWLEDGE, database=Path(":memory:"), staff_ids=frozenset({STAFF})
    )
    async with started_bot(settings, answers, telegram) as application:
        yield application


@pytest.fixture
def chat(app: BotApp, telegram: FakeTelegram) -> Chat:
    return Chat(app, telegram)


@pytest.fixture
def staff_chat(app: BotApp, telegram: FakeTelegram) -> Chat:
    return Chat(app, telegram, user=STAFF)
