"""``jetbot``: the core's command line, with Telegram as the transport of run and chat."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bot import cli
from bot.answers import Answers
from bot.cli_db import CommandError
from bot.config import Settings, require_token, require_webhook
from bot.logs import setup_logging


class TelegramTransport:
    def run(self, settings: Settings, answers: Answers, *, webhook: bool) -> None:
        from handlers.app import StartupError, build_application, run_polling

        token = require_token(settings)
        secrets = [token.reveal()]
        if webhook:
            url, secret = require_webhook(settings)
            secrets.append(secret.reveal())
        if settings.database_url is not None:
            secrets.append(settings.database_url.reveal())
        setup_logging(secrets=secrets)
        try:
            if webhook:
                # Tornado loads only for the webhook.
                from handlers.webhook import run_webhook

                run_webhook(build_application(settings, answers), settings, url, secret, token)
            else:
                run_polling(
                    build_application(settings, answers, polling_lease=True),
                    token,
                    settings.api_base_url,
                )
        except StartupError as error:
            raise CommandError(str(error), error.code) from error

    def chat(self, settings: Settings, answers: Answers) -> None:
        from handlers.console import run_chat

        run_chat(settings, answers)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, TelegramTransport())


if __name__ == "__main__":
    sys.exit(main())
