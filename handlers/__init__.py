"""Thin Telegram handlers: read the update, call the core, reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import replies
from bot import tracking_replies as tracked
from handlers import guard, menu, privacy, questions, staff, tracking
from handlers.errors import error_handler
from handlers.staff import Handler as HandlerCallback

COMMANDS = (
    ("start", "Menu: positions, duties, selection steps"),
    ("stage", "Your selection stage and its date"),
    ("remind", "Set a reminder: /remind in 2 hours Call the embassy"),
    ("reminders", "Your reminders"),
    ("cancel", "Cancel a reminder: /cancel 12"),
    ("timezone", "Your time zone: /timezone Europe/London"),
    ("mydata", "What I store about you"),
    ("forget", "Delete everything I store about you"),
    ("help", "What I can do"),
)


def button(kind: str) -> str:
    return rf"^{kind}:"


# New messages only: an edited "/remind in 2 hours ..." must not set a second reminder.
NEW = filters.UpdateType.MESSAGE


def command(name: str, callback: HandlerCallback) -> CommandHandler:  # type: ignore[type-arg]
    return CommandHandler(name, callback, filters=NEW)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Attach every handler; order matters: commands before free text."""
    # Groups run in order for every update: -2 drops floods, -1 records who is active.
    application.add_handler(TypeHandler(Update, guard.flood_guard), group=-2)
    application.add_handler(TypeHandler(Update, tracking.activity), group=-1)
    application.add_handlers(
        [
            command("start", menu.start),
            command("help", menu.help_command),
            command("stage", tracking.stage),
            command("remind", tracking.remind),
            command("reminders", tracking.list_reminders),
            command("cancel", tracking.cancel),
            command("timezone", tracking.timezone),
            command("mydata", privacy.mydata),
            command("forget", privacy.forget),
            command("reload", staff.reload),
            command("stats", staff.stats),
            command("unanswered", staff.unanswered),
            command("broadcast", staff.broadcast),
            CallbackQueryHandler(
                menu.browse, pattern=rf"^({replies.BROWSE}|{replies.BROWSE_TOPIC}):"
            ),
            CallbackQueryHandler(questions.answer_topic, pattern=button(replies.ANSWER_TOPIC)),
            CallbackQueryHandler(questions.none_of_these, pattern=button(replies.NONE_OF_THESE)),
            CallbackQueryHandler(tracking.stage_button, pattern=button(tracked.SET_STAGE)),
            CallbackQueryHandler(tracking.cancel_button, pattern=button(tracked.CANCEL_REMINDER)),
            CallbackQueryHandler(tracking.snooze_button, pattern=button(tracked.SNOOZE_REMINDER)),
            CallbackQueryHandler(tracking.done_button, pattern=button(tracked.DONE_REMINDER)),
            CallbackQueryHandler(privacy.forget_button, pattern=button(tracked.FORGET)),
            CallbackQueryHandler(questions.vote, pattern=button(replies.VOTE)),
            CallbackQueryHandler(staff.broadcast_button, pattern=button(staff.BROADCAST)),
            MessageHandler(NEW & filters.COMMAND, menu.unknown_command),
            MessageHandler(NEW & filters.TEXT, questions.question),
            MessageHandler(NEW & ~filters.TEXT & ~filters.StatusUpdate.ALL, menu.non_text),
        ]
    )
    application.add_error_handler(error_handler)
