"""``jetbot run --webhook``: Telegram posts updates to us; one port also serves /healthz.

Our own small tornado server rather than python-telegram-bot's: it compares the
secret token in constant time, never logs a request body, and answers health
probes on the same port.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

from bot import health
from bot.config import Secret, Settings
from handlers.app import running, startup_errors
from handlers.context import BotApp

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # Telegram's updates are far smaller; anything bigger is not Telegram.


class TelegramUpdates(tornado.web.RequestHandler):
    """POST: one update from Telegram, with our secret, into the Application's queue."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: BotApp, secret: Secret) -> None:
        self.bot = bot
        self.secret = secret.reveal().encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            # Ids and sizes only: the body may hold personal data, the header a guess.
            logger.warning(
                "Refused a webhook request from %s: %s secret token (%d bytes)",
                self.request.remote_ip,
                "wrong" if given else "missing",
                len(self.request.body),
            )
            raise tornado.web.HTTPError(403)
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot.bot)
        except (ValueError, TypeError, KeyError) as error:
            logger.warning("Refused an unreadable update (%s)", type(error).__name__)
            raise tornado.web.HTTPError(400) from error
        await self.bot.update_queue.put(update)
        self.set_status(200)

    def log_exception(self, *args: Any) -> None:
        """HTTP errors are logged above, without the request; nothing more to say."""


class HealthCheck(tornado.web.RequestHandler):
    """GET /healthz: 200 when healthy, 503 with the reasons otherwise."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, bot: BotApp) -> None:
        self.bot = bot

    async def get(self) -> None:
        services = self.bot.bot_data.services
        if services is None:
            verdict = health.Health(("the bot is starting or stopping",))
        else:
            verdict = await services.health()
        self.set_status(200 if verdict.ok else 503)
        self.set_header("Cache-Control", "no-store")
        self.write({"status": "ok" if verdict.ok else "unhealthy", "problems": verdict.problems})

    async def head(self) -> None:
        await self.get()


def web_app(application: BotApp, path: str, secret: Secret) -> tornado.web.Application:
    return tornado.web.Application(
        [
            (path, TelegramUpdates, {"bot": application, "secret": secret}),
            (r"/healthz", HealthCheck, {"bot": application}),
        ],
        # Tornado's access log prints each request line; ours says what matters.
        log_function=lambda handler: None,
    )


async def serve(application: BotApp, settings: Settings, url: str, secret: Secret) -> None:
    """Register the webhook, serve until SIGTERM or SIGINT, then stop cleanly."""
    path = urlsplit(url).path or "/"
    server = HTTPServer(web_app(application, path, secret), max_body_size=MAX_BODY, xheaders=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with running(application, polling=False):
        server.listen(settings.port, address="0.0.0.0")
        await application.bot.set_webhook(
            url, secret_token=secret.reveal(), allowed_updates=Update.ALL_TYPES
        )
        logger.info(
            "Serving the webhook on port %d at %s; health at /healthz", settings.port, path
        )
        await stop.wait()
        logger.info("Stopping: no new updates; finishing the ones under way")
        server.stop()
        await server.close_all_connections()


def run_webhook(
    application: BotApp, settings: Settings, url: str, secret: Secret, token: Secret
) -> None:
    """Serve Telegram's webhook (and /healthz) on $PORT until SIGINT/SIGTERM."""
    with startup_errors(token, settings.api_base_url):
        asyncio.run(serve(application, settings, url, secret))
