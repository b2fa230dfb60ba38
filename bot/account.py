"""The user's own view of the bot: /settings, /privacy and /calendar."""

from __future__ import annotations

from dataclasses import dataclass

from bot import calendar
from bot.config import Settings
from bot.knowledge import KnowledgeBase
from bot.replies import Reply
from bot.replies import privacy as say
from bot.store import User
from bot.tracking import DIALOG_LIFETIME, Tracker

FILE_NAME = "jet-application.ics"


@dataclass(frozen=True, slots=True)
class Export:
    """/calendar's answer: a file with its caption, or (nothing to export) a reply alone."""

    reply: Reply
    file: bytes | None = None
    name: str = FILE_NAME


class Account:
    """The user's settings, the privacy notice and the calendar export."""

    def __init__(self, tracker: Tracker, settings: Settings) -> None:
        self.tracker = tracker
        self.settings = settings

    async def settings_reply(self, user: User, change: str = "") -> Reply:
        """/settings: the zone (with its clock now) and the default-reminders switch."""
        user = await self.tracker.fresh(user)
        zone, now = self.tracker.zone(user), self.tracker.clock()
        chosen = user.timezone is not None
        return say.settings_reply(zone, chosen, user.default_reminders, now, change)

    async def switch_defaults(self, user: User, kb: KnowledgeBase, on: bool) -> Reply:
        """Turn the stage's default reminders on or off; the settings, with what changed."""
        change = await self.tracker.set_default_reminders(user, kb, on)
        return await self.settings_reply(user, say.defaults_changed(on, change))

    def privacy(self) -> Reply:
        """/privacy, with the configured operator and retention."""
        return say.privacy_reply(
            self.settings.operator, self.settings.retention_days, DIALOG_LIFETIME
        )

    async def calendar(self, user: User, kb: KnowledgeBase) -> Export:
        """The stage date and the open reminders, as an .ics file."""
        user = await self.tracker.fresh(user)
        stage = kb.stage(user.stage) if user.stage else None
        listing = await self.tracker.listing(user)
        dated = calendar.Dated(user, stage, listing.reminders)
        if dated.empty:
            return Export(say.NOTHING_TO_EXPORT)
        return Export(say.CALENDAR_CAPTION, calendar.build(dated, self.tracker.clock()))
