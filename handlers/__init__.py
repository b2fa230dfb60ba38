"""Thin Telegram handlers: read the update, call the core, reply."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import replies
from handlers import menu, questions
from handlers.errors import error_handler

COMMANDS = (
    ("start", "Menu: positions, duties, selection steps"),
    ("help", "What I can do"),
)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Attach every handler; order matters: commands before free text."""
    application.add_handlers(
        [
            CommandHandler("start", menu.start),
            CommandHandler("help", menu.help_command),
            CallbackQueryHandler(
                menu.browse, pattern=rf"^({replies.BROWSE}|{replies.BROWSE_TOPIC}):"
            ),
            CallbackQueryHandler(questions.answer_topic, pattern=rf"^{replies.ANSWER_TOPIC}:"),
            CallbackQueryHandler(questions.none_of_these, pattern=rf"^{replies.NONE_OF_THESE}:"),
            MessageHandler(filters.COMMAND, menu.unknown_command),
            MessageHandler(filters.TEXT, questions.question),
            MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, menu.non_text),
        ]
    )
    application.add_error_handler(error_handler)
