"""``jetbot chat``: the real Application, with a terminal standing in for Telegram.

ConsoleRequest answers the Bot API calls the bot makes (sendMessage prints, an
edit reprints) and ChatConsole turns each typed line into an Update for
``Application.process_update``, so the very same handlers run as in production.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import sys
import time
from typing import Any, TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.answers import Answers
from bot.config import Settings
from bot.replies import plain
from handlers.app import build_application, running
from handlers.context import BotApp

USER_ID = 1
BOT_USER = {"id": 2, "is_bot": True, "first_name": "JET bot", "username": "jet_console_bot"}
HUMAN = {"id": USER_ID, "is_bot": False, "first_name": "You"}
CHAT = {"id": USER_ID, "type": "private", "first_name": "You"}
BANNER = (
    "JET bot, in your terminal. Type a question, or /start for the menu; "
    "pick a button by its number. /quit or Ctrl-D quits."
)
# The terminal's own way out; Telegram has no such command, so the bot never sees it.
QUIT = frozenset({"/quit", "/exit", "/q"})


class InProcessBotApi(BaseRequest):
    """The Bot API answered in this process: no network, no timeouts, nothing to open."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        return self.respond(url, request_data)

    def respond(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        """The HTTP status and body of one call to ``url``."""
        raise NotImplementedError


def ok(result: object) -> tuple[int, bytes]:
    """A successful Bot API answer."""
    return 200, json.dumps({"ok": True, "result": result}).encode()


class ConsoleRequest(InProcessBotApi):
    """A Bot API 'server' that prints what the bot sends and remembers its buttons."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.message_ids = itertools.count(1)
        self.messages: dict[int, dict[str, Any]] = {}
        self.buttons: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def respond(self, url: str, request_data: RequestData | None) -> tuple[int, bytes]:
        params = request_data.parameters if request_data else {}
        return ok(self.handle(url.rsplit("/", 1)[-1], params))

    def handle(self, endpoint: str, params: dict[str, Any]) -> object:
        if endpoint == "getMe":
            return BOT_USER
        if endpoint == "sendMessage":
            message = {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": CHAT,
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.messages[message["message_id"]] = message
            self.show(message)
            return message
        if endpoint == "sendDocument":
            # A terminal cannot show a file: it says what was sent instead.
            message = {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": CHAT,
                "from": BOT_USER,
                "document": {"file_id": "console", "file_unique_id": "console"},
            }
            self.print("")
            self.print(plain(str(params.get("caption", ""))))
            self.print("  (a file was sent; files are not shown in the terminal)")
            return message
        if endpoint in ("editMessageText", "editMessageReplyMarkup"):
            message = dict(self.messages[int(params["message_id"])])
            if "text" in params:
                message["text"] = params["text"]
            message.pop("reply_markup", None)
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            self.messages[message["message_id"]] = message
            self.show(message)
            return message
        if endpoint == "answerCallbackQuery" and params.get("text"):
            self.print(f"  ({params['text']})")
        return [] if endpoint.startswith("get") else True

    def print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, message: dict[str, Any]) -> None:
        self.print("")
        self.print(plain(message["text"]))
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        if not rows:
            return
        self.buttons = [(message, button) for row in rows for button in row]
        for number, (_, button) in enumerate(self.buttons, start=1):
            suffix = f"  {button['url']}" if button.get("url") else ""
            self.print(f"  [{number}] {button['text']}{suffix}")


class ChatConsole:
    """Feeds typed lines to the Application as a Telegram user would send them."""

    def __init__(self, application: BotApp, transport: ConsoleRequest) -> None:
        self.application = application
        self.transport = transport
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1_000_000)

    def update_for(self, line: str) -> Update | None:
        """A callback press for a button number, else a text message."""
        if line.isdigit() and 1 <= int(line) <= len(self.transport.buttons):
            message, button = self.transport.buttons[int(line) - 1]
            if button.get("url"):
                self.transport.print(f"  (opens {button['url']})")
                return None
            data: dict[str, Any] = {
                "update_id": next(self.update_ids),
                "callback_query": {
                    "id": str(next(self.update_ids)),
                    "from": HUMAN,
                    "chat_instance": "console",
                    "data": button["callback_data"],
                    "message": message,
                },
            }
        else:
            entities = []
            command = re.match(r"^/\w+", line)
            if command:
                entities = [{"type": "bot_command", "offset": 0, "length": command.end()}]
            data = {
                "update_id": next(self.update_ids),
                "message": {
                    "message_id": next(self.message_ids),
                    "date": int(time.time()),
                    "chat": CHAT,
                    "from": HUMAN,
                    "text": line,
                    "entities": entities,
                },
            }
        return Update.de_json(data, self.application.bot)

    async def run(self, lines: TextIO) -> None:
        interactive = lines.isatty()
        async with running(self.application, polling=False):
            if interactive:
                self.transport.print(BANNER)
            while True:
                if interactive:
                    self.transport.out.write("\n> ")
                    self.transport.out.flush()
                # In a thread, so that reminders keep arriving while the user types.
                line = await asyncio.to_thread(lines.readline)
                if not line or line.strip().casefold() in QUIT:
                    break
                update = self.update_for(line.strip())
                if line.strip() and update is not None:
                    await self.application.process_update(update)


def run_chat(
    settings: Settings, answers: Answers, lines: TextIO = sys.stdin, out: TextIO = sys.stdout
) -> None:
    """Talk to the bot in a terminal; ends at end of input."""
    transport = ConsoleRequest(out)
    application = build_application(settings, answers, request=transport, token="console")
    asyncio.run(ChatConsole(application, transport).run(lines))
