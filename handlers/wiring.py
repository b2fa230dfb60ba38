"""The Application's handlers, in order: one module per feature, then what is left.

Each handler reads the update, makes one call into the core, and sends the reply.
"""

from __future__ import annotations

from telegram.ext import MessageHandler, filters

from handlers import (
    groups,
    guard,
    guided,
    kb,
    menu,
    privacy,
    questions,
    sources,
    staff,
    tickets,
    tracking,
)
from handlers.context import BotApp
from handlers.errors import error_handler
from handlers.routing import NEW, PRIVATE

COMMANDS = (
    ("start", "Menu: positions, duties, selection steps, your stage"),
    ("stage", "Your selection stage and its date: /stage interview 14 Feb 10:30"),
    ("remind", "Set a reminder: /remind tomorrow 9am Call the embassy"),
    ("reminders", "Your reminders, each with a cancel button"),
    ("cancel", "Stop the question in progress (or /cancel 12: reminder #12)"),
    ("timezone", "Your time zone: /timezone London, Tokyo or UTC+9"),
    ("settings", "Your time zone and default reminders"),
    ("calendar", "Your dates as a calendar file (.ics)"),
    ("mydata", "What I store about you"),
    ("privacy", "Who runs this bot and what it keeps"),
    ("forget", "Delete everything I store about you"),
    ("human", "Ask a person at the office"),
    ("help", "What I can do"),
)


def register(application: BotApp) -> None:
    """Attach every handler; order matters: commands and buttons before free text."""
    for handler, group in (*guard.routes(), *guided.first_routes()):
        application.add_handler(handler, group=group)
    # First: in the staff chat a reply to the bot answers a ticket; staff documents are uploads.
    application.add_handlers(
        [*tickets.routes(application.bot_data), *kb.routes(application.bot_data)]
    )
    for feature in (groups, menu, questions, tracking, guided, privacy, staff):
        application.add_handlers(feature.routes())
    # What is left, in private chats; in groups the bot speaks only when addressed.
    application.add_handlers(
        [
            MessageHandler(NEW & PRIVATE & filters.COMMAND, menu.unknown_command),
            # A plain message answers a guided step waiting for it, else it is a question.
            guided.TEXT,
            MessageHandler(
                NEW & PRIVATE & ~filters.TEXT & ~filters.StatusUpdate.ALL, menu.non_text
            ),
        ]
    )
    application.add_handlers(sources.routes(), group=sources.GROUP)  # counts /start <source>
    application.add_error_handler(error_handler)
