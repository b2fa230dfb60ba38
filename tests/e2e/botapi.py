"""A fake Telegram Bot API server for end-to-end tests of a python-telegram-bot bot.

Point a bot at it with ``Bot(token, base_url=server.base_url)`` (or the ``base_url`` setting of
``ApplicationBuilder``), drive it with simulated users and inspect what the bot sent::

    async with BotApiServer() as server:
        server.user_message(42, "/start")
        ...  # run the bot against server.base_url
        [reply] = await server.wait_for_messages(42, 1)

Staff-chat scenarios use ``group_message`` (optionally a Telegram reply to a stored message) and
``press_button(..., chat_id=group)``; files go both ways: ``user_document`` sends the bot a
document it fetches with getFile and the ``/file/bot<token>/<path>`` download route, and what the
bot sends with sendDocument is kept (``file_content``).

It can also run as a process (``python -m tests.e2e.botapi --port 0 --port-file PATH``); that
mode exposes a small JSON control API under ``/_control/`` (see ``_CONTROL_ACTIONS``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import enum
import itertools
import json
import os
import re
import signal
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

from aiohttp import web

JsonDict = dict[str, Any]

DEFAULT_BOT_ID: Final = 123456789
MAX_MESSAGE_LENGTH: Final = 4096
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_COMMAND_DESCRIPTION_LENGTH: Final = 256

# Form values arrive as strings and PTB JSON-encodes only non-string values, so a text such as
# "123" or "true" must not be decoded; these parameters are always strings in the Bot API.
_STRING_PARAMS: Final = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "action",
        "url",
        "language_code",
        "business_connection_id",
        "message_effect_id",
        "emoji",
        "name",
        "title",
        "description",
        "short_description",
        "secret_token",
        "ip_address",
    ]
)

# Telegram leaves these out when allowed_updates is empty or was never set.
_OPT_IN_UPDATE_TYPES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)

_CHAT_ACTIONS: Final = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)

_COMMAND_RE: Final = re.compile(r"[a-z0-9_]{1,32}")

NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a content and reply markup of the current content and reply markup of "
    "the message"
)
QUERY_INVALID: Final = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
WEBHOOK_ACTIVE: Final = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
CONFLICT: Final = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


class FaultKind(enum.Enum):
    ERROR = "error"
    DELAY = "delay"
    DELAY_THEN_APPLY = "delay_then_apply"


@dataclass(frozen=True)
class Fault:
    """What the server does instead of (or on top of) answering a call normally."""

    kind: FaultKind
    status: int = 200
    description: str = ""
    retry_after_seconds: int | None = None
    seconds: float = 0.0

    @classmethod
    def retry_after(cls, seconds: int) -> Fault:
        return cls(
            FaultKind.ERROR,
            429,
            f"Too Many Requests: retry after {seconds}",
            retry_after_seconds=seconds,
        )

    @classmethod
    def forbidden(cls, description: str = "Forbidden: bot was blocked by the user") -> Fault:
        return cls(FaultKind.ERROR, 403, description)

    @classmethod
    def bad_request(cls, description: str) -> Fault:
        """`description` as Telegram words it, e.g. "Bad Request: chat not found"."""
        return cls(FaultKind.ERROR, 400, description)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        return cls(FaultKind.ERROR, status, HTTPStatus(status).phrase)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer normally after `seconds`; if the client gave up meanwhile, nothing is applied."""
        return cls(FaultKind.DELAY, seconds=seconds)

    @classmethod
    def delay_then_apply(cls, seconds: float) -> Fault:
        """Apply the call at once but answer only after `seconds` (delivered despite a timeout)."""
        return cls(FaultKind.DELAY_THEN_APPLY, seconds=seconds)

    def error_body(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after_seconds is not None:
            body["parameters"] = {"retry_after": self.retry_after_seconds}
        return body


@dataclass
class Injection:
    """A registered fault; `remaining` None means it never runs out."""

    method: str
    fault: Fault
    chat_id: int | str | None
    remaining: int | None
    hits: int = 0

    def matches(self, method: str, params: JsonDict) -> bool:
        if self.remaining == 0 or self.method.lower() != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


@dataclass
class ApiCall:
    """One request as the server received it (``uploads``: the files sent with it).

    `status` and `response` are filled in when the answer is sent; they stay None while the call
    is pending and for calls whose client went away first (e.g. after a client-side timeout).
    """

    method: str
    params: JsonDict
    token: str
    time: float
    fault: Fault | None = None
    status: int | None = None
    response: JsonDict | None = None
    uploads: dict[str, JsonDict] = field(default_factory=dict)

    @property
    def chat_id(self) -> int | str | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    message: JsonDict
    time: float


class ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description

    def body(self) -> JsonDict:
        return {"ok": False, "error_code": self.status, "description": self.description}


def _bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _decode_form_value(key: str, raw: str) -> Any:
    if key in _STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def _read_params(
    request: web.Request, uploads: dict[str, JsonDict] | None = None
) -> JsonDict:
    """The call's parameters; files uploaded with it go to ``uploads`` (name, content)."""
    params: JsonDict = {k: _decode_form_value(k, v) for k, v in request.query.items()}
    if request.method != "POST" or not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as exc:
            raise _bad_request("can't parse JSON object") from exc
        if not isinstance(body, dict):
            raise _bad_request("can't parse JSON object")
        params.update(body)
        return params
    for key, value in (await request.post()).items():
        if isinstance(value, str):
            params[key] = _decode_form_value(key, value)
        else:
            # A test may want to see that an upload was attempted; sendDocument keeps it.
            params[key] = f"<upload {getattr(value, 'filename', key)}>"
            if uploads is not None:
                uploads[key] = {"file_name": value.filename, "content": value.file.read()}
    return params


def _int_param(params: JsonDict, key: str, missing: str) -> int:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_request(missing)
    return value


def _chat_id(params: JsonDict) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise _bad_request("chat_id is empty")
    if isinstance(value, bool) or not isinstance(value, int):
        # Only numeric ids exist here: there are no public @usernames to resolve.
        raise _bad_request("chat not found")
    return value


def _text(params: JsonDict) -> str:
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad_request("message text is empty")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise _bad_request("message is too long")
    return text


def _inline_markup(raw: Any) -> JsonDict | None:
    """The markup as Telegram stores it on the message: only non-empty inline keyboards."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    rows = raw.get("inline_keyboard")
    if rows is None:
        # Reply keyboards and keyboard removals are client-side state, never part of a Message.
        return None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request("can't parse inline keyboard markup JSON object")
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise _bad_request("can't parse inline keyboard button: text is empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
    return raw if any(rows) else None


def _utf16_len(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def _update_type(update: JsonDict) -> str:
    return next((key for key in update if key != "update_id"), "")


def _callback_data(message: JsonDict) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


_Handler = Callable[[ApiCall], Awaitable[Any]]


class BotApiServer:
    """In-process fake of the Bot API; see the module docstring."""

    def __init__(
        self,
        *,
        token: str | None = None,
        port: int = 0,
        bot_first_name: str = "Test Bot",
        bot_username: str = "test_bot",
    ) -> None:
        self.token = token
        self.bot_first_name = bot_first_name
        self.bot_username = bot_username
        self.requests: list[ApiCall] = []
        self.callback_answers: dict[str, JsonDict] = {}
        self._port = port
        self._runner: web.AppRunner | None = None
        self._injections: list[Injection] = []
        self._deliveries: list[Delivery] = []
        self._messages: dict[int, dict[int, JsonDict]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._users: dict[int, JsonDict] = {}
        self._files: dict[str, JsonDict] = {}  # file_id -> {file_name, content}
        self._documents: list[tuple[int, JsonDict, bytes]] = []  # (chat, message, content)
        self._file_ids = itertools.count(1)
        self._updates: list[JsonDict] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._pending_callbacks: set[str] = set()
        self._allowed_updates: frozenset[str] | None = None
        self._commands: dict[str, list[JsonDict]] = {}
        self._poll_generation = 0
        self._closing = False
        self._changed = asyncio.Event()
        # A webhook as Telegram keeps it: where updates are POSTed, and with which secret.
        self.webhook: JsonDict | None = None
        self.webhook_responses: list[int] = []
        self._webhook_task: asyncio.Task[None] | None = None
        self._handlers: dict[str, tuple[str, _Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getUpdates": self._get_updates,
                "sendMessage": self._send_message,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "sendChatAction": self._send_chat_action,
                "deleteMessage": self._delete_message,
            }.items()
        }

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._download)
        app.router.add_route("*", "/_control/{action}", self._handle_control)
        # Cancelling handlers when the client hangs up is what lets Fault.delay model a request
        # that timed out client-side and was therefore never applied.
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._closing = False
        # A fresh event binds to the loop that runs this server (tests get a loop per test).
        self._changed = asyncio.Event()

    async def stop(self) -> None:
        if self._runner is None:
            return
        # Wake long polls so shutdown does not wait for their timeouts.
        self._closing = True
        self._notify()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._runner is None:
            raise RuntimeError("BotApiServer is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- fault injection ---------------------------------------------------------------------

    def inject(
        self,
        method: str,
        fault: Fault,
        *,
        chat_id: int | str | None = None,
        times: int | None = 1,
    ) -> Injection:
        """Make the next `times` matching calls (None: all of them) fail with `fault`."""
        injection = Injection(method, fault, chat_id, times)
        self._injections.append(injection)
        return injection

    def clear_faults(self) -> None:
        self._injections.clear()

    def _take_fault(self, method: str, params: JsonDict) -> Fault | None:
        for injection in self._injections:
            if injection.matches(method, params):
                injection.hits += 1
                if injection.remaining is not None:
                    injection.remaining -= 1
                return injection.fault
        return None

    # -- inspection --------------------------------------------------------------------------

    def calls(self, method: str) -> list[ApiCall]:
        return [call for call in self.requests if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[JsonDict]:
        """Messages delivered by sendMessage, as returned to the bot (later edits not applied)."""
        return [d.message for d in self._deliveries if chat_id is None or d.chat_id == chat_id]

    def delivery_times(self, chat_id: int | None = None) -> list[float]:
        """`time.monotonic()` arrival times of delivered sendMessage calls, oldest first."""
        return [d.time for d in self._deliveries if chat_id is None or d.chat_id == chat_id]

    def message(self, chat_id: int, message_id: int) -> JsonDict | None:
        """Current state of a stored message (after edits); None if unknown or deleted."""
        return self._messages.get(chat_id, {}).get(message_id)

    @property
    def pending_updates(self) -> list[JsonDict]:
        return list(self._updates)

    # -- simulated users ---------------------------------------------------------------------

    def queue_update(self, update: JsonDict) -> int:
        """Queue a raw update (without update_id) for getUpdates; returns its update_id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **copy.deepcopy(update)})
        self._notify()
        return update_id

    def user_message(self, user_id: int, text: str, *, first_name: str = "Test") -> int:
        """Queue a private text message from `user_id`; returns its message_id."""
        message = self._new_message(user_id, self._user(user_id, first_name), text=text)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        self.queue_update({"message": message})
        return int(message["message_id"])

    def group_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        first_name: str = "Test",
    ) -> int:
        """Queue a text message from `user_id` in the group `chat_id` (a negative id), as a
        Telegram reply to the stored message `reply_to` if given; returns its message_id."""
        content: JsonDict = {"text": text}
        if reply_to is not None:
            target = self.message(chat_id, reply_to)
            if target is None:
                raise AssertionError(f"no message {reply_to} in chat {chat_id} to reply to")
            content["reply_to_message"] = {
                k: v for k, v in target.items() if k != "reply_to_message"
            }
        entities = []
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entities.append({"type": "bot_command", "offset": 0, "length": _utf16_len(command)})
        for mention in re.finditer(r"(?<![\w/])@\w+", text):
            start = _utf16_len(text[: mention.start()])
            entities.append({"type": "mention", "offset": start, "length": _utf16_len(mention[0])})
        if entities:
            content["entities"] = entities
        message = self._new_message(chat_id, self._user(user_id, first_name), **content)
        self.queue_update({"message": message})
        return int(message["message_id"])

    def user_document(
        self, user_id: int, file_name: str, content: bytes, *, first_name: str = "Test"
    ) -> int:
        """Queue a private message from `user_id` carrying a file; returns its message_id."""
        document = self._store_file(file_name, content)
        message = self._new_message(user_id, self._user(user_id, first_name), document=document)
        self.queue_update({"message": message})
        return int(message["message_id"])

    def file_content(self, file_id: str) -> bytes:
        """What a stored file holds: one a user sent, or one the bot sent with sendDocument."""
        return bytes(self._files[file_id]["content"])

    def _store_file(self, file_name: str, content: bytes) -> JsonDict:
        number = next(self._file_ids)
        file_id = f"file-{number}"
        self._files[file_id] = {"file_name": file_name, "content": content}
        return {
            "file_id": file_id,
            "file_unique_id": f"file-u-{number}",
            "file_name": file_name,
            "file_size": len(content),
        }

    def user_sticker(self, user_id: int, *, first_name: str = "Test") -> int:
        sticker = {
            "file_id": f"sticker-{user_id}",
            "file_unique_id": f"sticker-u-{user_id}",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "emoji": "\N{THUMBS UP SIGN}",
        }
        message = self._new_message(user_id, self._user(user_id, first_name), sticker=sticker)
        self.queue_update({"message": message})
        return int(message["message_id"])

    def user_photo(
        self, user_id: int, *, caption: str | None = None, first_name: str = "Test"
    ) -> int:
        photo = [
            {
                "file_id": f"photo-{user_id}-{size}",
                "file_unique_id": f"photo-u-{user_id}-{size}",
                "width": size,
                "height": size,
                "file_size": size * 10,
            }
            for size in (90, 800)
        ]
        extra: JsonDict = {"photo": photo}
        if caption is not None:
            extra["caption"] = caption
        message = self._new_message(user_id, self._user(user_id, first_name), **extra)
        self.queue_update({"message": message})
        return int(message["message_id"])

    def press_button(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        first_name: str = "Test",
        check_button: bool = True,
        chat_id: int | None = None,
    ) -> str:
        """Queue a callback_query for a button on a stored bot message; returns the query id.

        The message is in the user's private chat, or in `chat_id` (a group). With
        `check_button`, the message must currently show a button with that callback_data,
        since a real user can only press what is on screen.
        """
        chat = user_id if chat_id is None else chat_id
        message = self.message(chat, message_id)
        if message is None or not message["from"]["is_bot"]:
            known = sorted(self._messages.get(chat, {}))
            raise AssertionError(
                f"no bot message {message_id} in chat {chat}; stored message ids: {known}"
            )
        if check_button and data not in _callback_data(message):
            raise AssertionError(
                f"message {message_id} in chat {chat} has no button with callback_data "
                f"{data!r}; buttons: {_callback_data(message)}"
            )
        query_id = f"cq-{next(self._callback_ids)}"
        self._pending_callbacks.add(query_id)
        self.queue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id, first_name),
                    "message": message,
                    "chat_instance": f"ci-{user_id}",
                    "data": data,
                }
            }
        )
        return query_id

    # -- waiting -----------------------------------------------------------------------------

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10
    ) -> list[JsonDict]:
        """The first `count` messages delivered to `chat_id`, waiting for them to arrive."""
        if await self._wait_until(lambda: len(self.sent_messages(chat_id)) >= count, timeout):
            return self.sent_messages(chat_id)[:count]
        got = [m.get("text") for m in self.sent_messages(chat_id)]
        attempts = [c for c in self.calls("sendMessage") if c.chat_id == chat_id]
        faults = Counter(c.fault.kind.value if c.fault else "none" for c in attempts)
        others = Counter(d.chat_id for d in self._deliveries if d.chat_id != chat_id)
        raise AssertionError(
            f"timed out after {timeout}s waiting for {count} message(s) to chat {chat_id}; "
            f"got {len(got)}: {got}; sendMessage attempts to that chat: {len(attempts)} "
            f"(faults: {dict(faults)}); deliveries to other chats: {dict(others)}; "
            f"calls received: {self._call_summary()}"
        )

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 10,
    ) -> ApiCall:
        """The first recorded call of `method` (matching `predicate`), waiting for one."""

        def find() -> ApiCall | None:
            return next((c for c in self.calls(method) if predicate is None or predicate(c)), None)

        if await self._wait_until(lambda: find() is not None, timeout):
            found = find()
            assert found is not None
            return found
        matching = len(self.calls(method))
        raise AssertionError(
            f"timed out after {timeout}s waiting for a {method} call"
            + (f" matching the predicate ({matching} did not match)" if predicate else "")
            + f"; calls received: {self._call_summary()}"
        )

    def _call_summary(self) -> dict[str, int]:
        return dict(Counter(call.method for call in self.requests))

    def _notify(self) -> None:
        # Swap in a new event so waiters re-check their condition once and then wait for the
        # next change; this stays callable from synchronous helpers such as user_message.
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True

    # -- HTTP --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        token = request.match_info["token"]
        sent_method = request.match_info["method"]
        method, handler = self._handlers.get(sent_method.lower(), (sent_method, None))
        parse_error: ApiError | None = None
        uploads: dict[str, JsonDict] = {}
        try:
            params = await _read_params(request, uploads)
        except ApiError as exc:
            params, parse_error = {}, exc
        call = ApiCall(method, params, token, arrived, uploads=uploads)
        self.requests.append(call)
        try:
            if parse_error is not None:
                raise parse_error
            if self.token is not None and token != self.token:
                raise ApiError(401, "Unauthorized")
            fault = call.fault = self._take_fault(method, call.params)
            if fault is not None and fault.kind is FaultKind.ERROR:
                return self._answer(call, fault.status, fault.error_body())
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if fault is not None and fault.kind is FaultKind.DELAY:
                await asyncio.sleep(fault.seconds)
            # Copy so a later edit cannot change an answer that is still being delayed.
            result = copy.deepcopy(await handler(call))
            if fault is not None and fault.kind is FaultKind.DELAY_THEN_APPLY:
                self._notify()
                await asyncio.sleep(fault.seconds)
            return self._answer(call, 200, {"ok": True, "result": result})
        except ApiError as exc:
            return self._answer(call, exc.status, exc.body())
        finally:
            self._notify()

    @staticmethod
    def _answer(call: ApiCall, status: int, body: JsonDict) -> web.Response:
        call.status = status
        call.response = body
        return web.json_response(body, status=status)

    # -- Bot API methods ---------------------------------------------------------------------

    def _bot_user(self, token: str) -> JsonDict:
        # Real tokens start with the bot's id, so the same token always yields the same bot.
        prefix = token.split(":", 1)[0]
        return {
            "id": int(prefix) if prefix.isdigit() else DEFAULT_BOT_ID,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _user(self, user_id: int, first_name: str) -> JsonDict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        self._users[user_id] = user
        return user

    def _chat(self, chat_id: int) -> JsonDict:
        if chat_id > 0:
            first_name = self._users.get(chat_id, {}).get("first_name", "Test")
            return {"id": chat_id, "type": "private", "first_name": first_name}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _new_message(self, chat_id: int, sender: JsonDict, **content: Any) -> JsonDict:
        """Create and store a message; ids are per chat and shared by users and the bot."""
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        message: JsonDict = {
            "message_id": next(counter),
            "from": sender,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    async def _true(self, call: ApiCall) -> bool:
        return True

    async def _get_me(self, call: ApiCall) -> JsonDict:
        return {
            **self._bot_user(call.token),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _set_webhook(self, call: ApiCall) -> bool:
        url = call.params.get("url")
        if not isinstance(url, str) or not url:
            return await self._delete_webhook(call)
        self.webhook = {"url": url, "secret_token": call.params.get("secret_token")}
        if isinstance(call.params.get("allowed_updates"), list):
            self._allowed_updates = frozenset(call.params["allowed_updates"]) or None
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._push_to_webhook())
        return True

    async def _delete_webhook(self, call: ApiCall) -> bool:
        if call.params.get("drop_pending_updates") is True:
            self._updates.clear()
        self.webhook = None
        self._notify()
        return True

    async def _get_webhook_info(self, call: ApiCall) -> JsonDict:
        pending = len(self._updates)
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": pending}

    async def _push_to_webhook(self) -> None:
        """POST each update to the webhook in order, as Telegram does, until it answers 200."""
        from aiohttp import ClientError, ClientSession, ClientTimeout

        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while self.webhook is not None and not self._closing:
                updates = self._deliverable()
                if not updates:
                    await self._wait_until(
                        lambda: bool(self._deliverable()) or self.webhook is None, 1
                    )
                    continue
                update, hook = updates[0], self.webhook
                headers = {"Content-Type": "application/json"}
                if hook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(hook["secret_token"])
                try:
                    async with session.post(hook["url"], json=update, headers=headers) as answer:
                        self.webhook_responses.append(answer.status)
                        delivered = answer.status == 200
                except (ClientError, OSError, TimeoutError):
                    delivered = False
                if delivered:
                    self._confirm(update["update_id"] + 1)
                    self._notify()
                else:
                    await asyncio.sleep(0.2)

    @staticmethod
    def _commands_key(params: JsonDict) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    async def _set_my_commands(self, call: ApiCall) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= MAX_COMMAND_DESCRIPTION_LENGTH:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(call.params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, call: ApiCall) -> list[JsonDict]:
        return self._commands.get(self._commands_key(call.params), [])

    async def _delete_my_commands(self, call: ApiCall) -> bool:
        self._commands.pop(self._commands_key(call.params), None)
        return True

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _is_allowed(self, update: JsonDict) -> bool:
        kind = _update_type(update)
        if self._allowed_updates is None:
            return kind not in _OPT_IN_UPDATE_TYPES
        return kind in self._allowed_updates

    def _deliverable(self) -> list[JsonDict]:
        # Updates of types the bot did not ask for are never delivered, so drop them for good.
        self._updates = [u for u in self._updates if self._is_allowed(u)]
        return self._updates

    async def _get_updates(self, call: ApiCall) -> list[JsonDict]:
        params = call.params
        offset = params.get("offset")
        limit = params.get("limit")
        timeout = params.get("timeout")
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_ACTIVE)
        if isinstance(offset, int):
            self._confirm(offset)
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        timeout = max(float(timeout), 0.0) if isinstance(timeout, int | float) else 0.0
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else None
        # A newer getUpdates terminates an older one still waiting, exactly like Telegram does,
        # so two pollers running at once surface as telegram.error.Conflict.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        await self._wait_until(
            lambda: (
                self._closing or self._poll_generation != generation or bool(self._deliverable())
            ),
            timeout,
        )
        if self._poll_generation != generation:
            raise ApiError(409, CONFLICT)
        return self._deliverable()[:limit]

    def _reply_target(self, chat_id: int, params: JsonDict) -> JsonDict | None:
        reply = params.get("reply_parameters")
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        if message_id is None:
            message_id = params.get("reply_to_message_id")
        if message_id is None:
            return None
        target = self.message(chat_id, message_id)
        if target is not None:
            return {k: v for k, v in target.items() if k != "reply_to_message"}
        allow = params.get("allow_sending_without_reply") is True or (
            isinstance(reply, dict) and reply.get("allow_sending_without_reply") is True
        )
        if allow:
            return None
        raise _bad_request("message to be replied not found")

    async def _send_message(self, call: ApiCall) -> JsonDict:
        params = call.params
        chat_id = _chat_id(params)
        text = _text(params)
        markup = _inline_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat_id, params)
        content: JsonDict = {"text": text}
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        if isinstance(params.get("entities"), list):
            content["entities"] = params["entities"]
        if markup is not None:
            content["reply_markup"] = markup
        message = self._new_message(chat_id, self._bot_user(call.token), **content)
        self._deliveries.append(Delivery(chat_id, copy.deepcopy(message), call.time))
        return message

    async def _send_document(self, call: ApiCall) -> JsonDict:
        params = call.params
        chat_id = _chat_id(params)
        reference = params.get("document")
        key = "document"
        if isinstance(reference, str) and reference.startswith("attach://"):
            key = reference.removeprefix("attach://")  # another part of the same form
        upload = call.uploads.get(key)
        if upload is None:
            # A file_id of a stored file can be sent again, as on Telegram.
            stored = self._files.get(str(params.get("document")))
            if stored is None:
                raise _bad_request("wrong file identifier/HTTP URL specified")
            upload = stored
        content: JsonDict = {
            "document": self._store_file(str(upload["file_name"]), upload["content"])
        }
        caption = params.get("caption")
        if isinstance(caption, str) and caption:
            content["caption"] = caption
        markup = _inline_markup(params.get("reply_markup"))
        if markup is not None:
            content["reply_markup"] = markup
        message = self._new_message(chat_id, self._bot_user(call.token), **content)
        self._deliveries.append(Delivery(chat_id, copy.deepcopy(message), call.time))
        self._documents.append((chat_id, copy.deepcopy(message), bytes(upload["content"])))
        return message

    def sent_documents(self, chat_id: int | None = None) -> list[tuple[JsonDict, bytes]]:
        """Documents delivered by sendDocument: the message and the file's bytes."""
        return [(m, data) for c, m, data in self._documents if chat_id is None or c == chat_id]

    async def _get_file(self, call: ApiCall) -> JsonDict:
        file_id = call.params.get("file_id")
        stored = self._files.get(str(file_id))
        if stored is None:
            raise _bad_request("invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"{file_id}-u",
            "file_size": len(stored["content"]),
            "file_path": f"documents/{file_id}/{stored['file_name']}",
        }

    async def _download(self, request: web.Request) -> web.Response:
        """The file endpoint: ``/file/bot<token>/<file_path from getFile>``."""
        if self.token is not None and request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        parts = request.match_info["path"].split("/")
        stored = self._files.get(parts[1]) if len(parts) == 3 and parts[0] == "documents" else None
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored["content"], content_type="application/octet-stream")

    def _editable(self, params: JsonDict) -> JsonDict:
        if "inline_message_id" in params:
            raise _bad_request("message to edit not found")
        chat_id = _chat_id(params)
        message_id = _int_param(params, "message_id", "message identifier is not specified")
        message = self.message(chat_id, message_id)
        if message is None:
            raise _bad_request("message to edit not found")
        if not message["from"]["is_bot"]:
            raise _bad_request("message can't be edited")
        return message

    async def _edit_message_text(self, call: ApiCall) -> JsonDict:
        message = self._editable(call.params)
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        text = _text(call.params)
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        markup = _inline_markup(call.params.get("reply_markup"))
        if text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        entities = call.params.get("entities")
        self._set_or_drop(message, "entities", entities if isinstance(entities, list) else None)
        self._set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return message

    async def _edit_message_reply_markup(self, call: ApiCall) -> JsonDict:
        message = self._editable(call.params)
        markup = _inline_markup(call.params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        self._set_or_drop(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return message

    @staticmethod
    def _set_or_drop(message: JsonDict, key: str, value: Any) -> None:
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value

    async def _answer_callback_query(self, call: ApiCall) -> bool:
        query_id = call.params.get("callback_query_id")
        # A query can be answered once; Telegram rejects repeats and unknown ids alike.
        if not isinstance(query_id, str) or query_id not in self._pending_callbacks:
            raise ApiError(400, QUERY_INVALID)
        self._pending_callbacks.discard(query_id)
        self.callback_answers[query_id] = call.params
        return True

    async def _send_chat_action(self, call: ApiCall) -> bool:
        _chat_id(call.params)
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    async def _delete_message(self, call: ApiCall) -> bool:
        chat_id = _chat_id(call.params)
        message_id = _int_param(call.params, "message_id", "message identifier is not specified")
        if self._messages.get(chat_id, {}).pop(message_id, None) is None:
            raise _bad_request("message to delete not found")
        return True

    # -- control API for the standalone process ----------------------------------------------

    async def _handle_control(self, request: web.Request) -> web.Response:
        body: JsonDict = dict(request.query)
        if request.body_exists:
            body.update(await request.json())
        try:
            result = await self._control(request.match_info["action"], body)
        except AssertionError as exc:
            return web.json_response({"error": str(exc)}, status=409)
        except (KeyError, TypeError, ValueError) as exc:
            return web.json_response({"error": repr(exc)}, status=400)
        return web.json_response(result)

    async def _control(self, action: str, body: JsonDict) -> Any:
        """Expose the test helpers over HTTP for a server running in its own process.

        Arguments come as JSON body or query string; AssertionErrors answer 409.
        """
        user_id = int(body.get("user_id", 0))
        first_name = str(body.get("first_name", "Test"))
        match action:
            case "user_message":
                text = str(body["text"])
                return {"message_id": self.user_message(user_id, text, first_name=first_name)}
            case "user_sticker":
                return {"message_id": self.user_sticker(user_id, first_name=first_name)}
            case "user_photo":
                return {"message_id": self.user_photo(user_id, first_name=first_name)}
            case "press_button":
                message_id, data = int(body["message_id"]), str(body["data"])
                return {"callback_query_id": self.press_button(user_id, message_id, data)}
            case "sent_messages":
                chat_id = body.get("chat_id")
                return self.sent_messages(None if chat_id is None else int(chat_id))
            case "wait_for_messages":
                chat_id, count = int(body["chat_id"]), int(body["count"])
                return await self.wait_for_messages(chat_id, count, float(body.get("timeout", 10)))
            case "requests":
                return [
                    {
                        "method": c.method,
                        "params": c.params,
                        "token": c.token,
                        "time": c.time,
                        "status": c.status,
                        "fault": c.fault.kind.value if c.fault else None,
                    }
                    for c in self.requests
                ]
        raise KeyError(f"unknown control action {action!r}")


async def _serve(port: int, port_file: Path | None, token: str | None) -> None:
    server = BotApiServer(port=port, token=token)
    await server.start()
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    if port_file is not None:
        # Write then rename so a reader polling for the file never sees it half-written.
        tmp = port_file.with_name(port_file.name + ".tmp")
        tmp.write_text(f"{server.port}\n")
        os.replace(tmp, port_file)
    try:
        await stopped.wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", type=Path, help="write the bound port here when ready")
    parser.add_argument("--token", help="reject requests made with any other token")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.port, args.port_file, args.token))


if __name__ == "__main__":
    main()
