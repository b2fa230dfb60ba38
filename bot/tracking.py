"""Applicants' stages, dates and reminders: the rules, in the user's own time zone.

Everything is committed to the store before the caller is told it is set; the
Pusher (bot/push.py) delivers whatever is due from there. Bad input raises
InputError, whose message is one line the caller can show as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock, utc_now
from bot.dates import When, parse_stage_when
from bot.knowledge import KnowledgeBase, Stage, StageReminder
from bot.store import OPEN_STATUSES, NewReminder, Reminder, Seen, Status, Store, Ticket, User
from bot.timebase import excerpt, wall_clock_in
from bot.timeparse import (
    InputError,
    check_text,
    day_before_at,
    parse_reminder,
    parse_zone,
    require_future,
)

LOCAL_FORMAT = "%Y-%m-%d %H:%M"
SNOOZE = timedelta(hours=1)
# Each one is a message the bot must send: a cap keeps one user from filling the queue.
MAX_OPEN_REMINDERS = 100
STAGE_EXAMPLE = "/stage interview 14 Feb 10:30"
# A stage title is a few words ("Application review"); no longer name is tried.
MAX_STAGE_WORDS = 4
PAST = (Status.SENT, Status.CANCELLED)
# How long a guided command's step waits for its answer (bot/guide.py).
DIALOG_LIFETIME = timedelta(minutes=30)
REMINDER_NUMBER = re.compile(r"#?([0-9]{1,18})")


@dataclass(frozen=True, slots=True)
class StageChange:
    stage: Stage
    stage_at: datetime | None
    zone: ZoneInfo
    reminders: list[Reminder]
    skipped: int  # default reminders whose time had already passed
    next_stage: Stage | None
    time_given: bool = True  # False: the date came without a time, the default was used
    defaults_off: bool = False  # the user switched default reminders off (/settings)


@dataclass(frozen=True, slots=True)
class ZoneChange:
    zone: ZoneInfo
    moved: int  # reminders that keep their local time in the new zone
    now: datetime  # when it changed: the confirmation shows the zone's clock then
    note: str = ""  # a caveat about how the typed zone was read (see bot.zones)


@dataclass(frozen=True, slots=True)
class Listing:
    """The user's open reminders, in their zone."""

    reminders: list[Reminder]
    zone: ZoneInfo


@dataclass(frozen=True, slots=True)
class MyData:
    """Everything stored about one user, for /mydata: live reminders, and past ones counted."""

    user: User | None
    reminders: list[Reminder]
    deliveries: dict[str, int]
    default_zone: ZoneInfo
    conversation: str | None = None  # the remembered context, as stored (JSON)
    past: int = 0  # reminders sent or cancelled: counted, not listed
    dialog: str | None = None  # the guided command waiting for an answer, if any
    tickets: tuple[Ticket, ...] = ()  # questions passed on to staff


class Tracker:
    def __init__(self, store: Store, default_zone: ZoneInfo, clock: Clock = utc_now) -> None:
        self.store = store
        self.default_zone = default_zone
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []

    async def fresh(self, user: User) -> User:
        """The user as stored now: the caller's copy may predate a change."""
        return await self.store.get_user(user.user_id) or user

    def zone(self, user: User) -> ZoneInfo:
        return ZoneInfo(user.timezone) if user.timezone else self.default_zone

    def changed(self) -> None:
        """Tell the pusher that reminders changed, so it need not wait for its next tick."""
        for listener in self.listeners:
            listener()

    async def seen(self, user_id: int, chat_id: int) -> Seen:
        """Record that the user wrote; one who had blocked the bot is resumed."""
        seen = await self.store.touch_user(user_id, chat_id, self.clock())
        if seen.resumed:
            self.changed()
        return seen

    async def remind(self, user: User, args: str) -> Reminder:
        """/remind tomorrow 9am TEXT, /remind 2027-02-14 09:00 TEXT, /remind in 90 minutes TEXT."""
        when, text = parse_reminder(args, self.clock(), self.zone(user))
        return await self.remind_at(user, when, text)

    async def remind_at(self, user: User, when: When, text: str) -> Reminder:
        """Store a reminder at a moment already read; it must still be ahead."""
        zone = self.zone(user)
        require_future(when.at, self.clock(), zone)
        text = check_text(text)
        await self.check_room(user)
        local = when.at.astimezone(zone).strftime(LOCAL_FORMAT) if when.wall_clock else None
        new = NewReminder(user.user_id, user.chat_id, text, when.at, zone.key, local_time=local)
        return await self.add(new)

    async def check_room(self, user: User) -> None:
        open_count = await self.store.count_reminders(user.user_id)
        if open_count >= MAX_OPEN_REMINDERS:
            raise InputError(
                f"you have {open_count} open reminders, the most I keep; "
                "cancel some first, e.g. /cancel 12 (numbers are in /reminders)"
            )

    async def add(self, new: NewReminder) -> Reminder:
        [reminder_id] = await self.store.add_reminders([new], self.clock())
        self.changed()
        reminder = await self.store.get_reminder(reminder_id)
        assert reminder is not None
        return reminder

    async def set_stage(
        self, user: User, kb: KnowledgeBase, stage_id: str, when: Sequence[str]
    ) -> StageChange:
        """/stage interview [14 Feb 10:30]: stage (by id or title), date, its reminders.

        Naming the current stage again without a date keeps its date and reminders.
        """
        stage, rest = find_stage(kb, [*stage_id.split(), *when])
        user = await self.fresh(user)
        moment = parse_stage_when(rest, self.clock(), self.zone(user)) if rest else None
        return await self.stage_at(user, kb, stage, moment)

    async def stage_at(
        self, user: User, kb: KnowledgeBase, stage: Stage, moment: When | None
    ) -> StageChange:
        """Set the stage, with a date already read (None: no date given)."""
        user = await self.fresh(user)
        zone = self.zone(user)
        if moment is None:
            if stage.id == user.stage:
                return StageChange(stage, user.stage_at, zone, [], 0, following(kb, stage))
            return await self.apply_stage(user, kb, stage, None, zone)
        require_future(moment.at, self.clock(), zone)
        change = await self.apply_stage(user, kb, stage, moment.at, zone)
        return replace(change, time_given=moment.time_given)

    async def apply_stage(
        self,
        user: User,
        kb: KnowledgeBase,
        stage: Stage,
        stage_at: datetime | None,
        zone: ZoneInfo,
        done: frozenset[int | None] = frozenset(),
    ) -> StageChange:
        """Store the stage; schedule its default reminders except those numbered in ``done``."""
        now = self.clock()
        wanted = stage_at is not None and user.default_reminders
        planned = self.plan(user, stage, stage_at, zone) if stage_at and wanted else []
        upcoming = [r for r in planned if r.due_at > now and r.slot not in done]
        local = stage_at.astimezone(zone).strftime(LOCAL_FORMAT) if stage_at else None
        ids = await self.store.set_stage(user.user_id, stage.id, stage_at, local, upcoming, now)
        if ids:
            self.changed()
        by_id = {r.id: r for r in await self.store.user_reminders(user.user_id)}
        reminders = [by_id[i] for i in ids if i in by_id]
        skipped = len(planned) - len(upcoming)
        return StageChange(
            stage,
            stage_at,
            zone,
            reminders,
            skipped,
            following(kb, stage),
            defaults_off=stage_at is not None and not user.default_reminders,
        )

    def plan(
        self, user: User, stage: Stage, stage_at: datetime, zone: ZoneInfo
    ) -> list[NewReminder]:
        return [
            NewReminder(
                user.user_id,
                user.chat_id,
                reminder_text(default, stage, stage_at, zone),
                default_due(default, stage_at, zone),
                zone.key,
                stage=stage.id,
                slot=slot,
            )
            for slot, default in enumerate(stage.reminders)
        ]

    async def set_timezone(self, user: User, kb: KnowledgeBase, name: str) -> ZoneChange:
        """Set the zone by its IANA name (bot.zones reads the names people type)."""
        return await self.set_zone(user, kb, parse_zone(name))

    async def set_zone(
        self, user: User, kb: KnowledgeBase, zone: ZoneInfo, note: str = ""
    ) -> ZoneChange:
        """Set the zone; dates and reminders typed as local times keep their clock time.

        Every reminder is moved in place, so the numbers the user knows stay the same.
        """
        user = await self.fresh(user)
        moved = []
        for reminder in await self.store.user_reminders(user.user_id):
            if reminder.local_time:
                local = datetime.strptime(reminder.local_time, LOCAL_FORMAT)  # noqa: DTZ007
                moved.append((reminder.id, wall_clock_in(local, zone)))
        await self.store.set_timezone(user.user_id, zone.key, moved)
        if moved:
            self.changed()
        count = len(moved)
        stage = kb.stage(user.stage) if user.stage else None
        if stage is not None and user.stage_local and user.stage_at is not None:
            local = datetime.strptime(user.stage_local, LOCAL_FORMAT)  # noqa: DTZ007
            stage_at = wall_clock_in(local, zone)
            if stage_at > self.clock():
                # Defaults whose time already came in the old zone were delivered:
                # moving the date must not schedule them again.
                before = self.plan(user, stage, user.stage_at, self.zone(user))
                done = frozenset(r.slot for r in before if r.due_at <= self.clock())
                change = await self.apply_stage(user, kb, stage, stage_at, zone, done)
                count += len(change.reminders)
        return ZoneChange(zone, count, self.clock(), note)

    async def set_default_reminders(
        self, user: User, kb: KnowledgeBase, on: bool
    ) -> StageChange | None:
        """Switch the stage's default reminders on or off; the stage's date is planned again."""
        await self.store.set_default_reminders(user.user_id, on)
        user = await self.fresh(user)
        stage = kb.stage(user.stage) if user.stage else None
        if stage is None or user.stage_at is None or user.stage_at <= self.clock():
            return None
        return await self.apply_stage(user, kb, stage, user.stage_at, self.zone(user))

    async def cancel(self, user: User, reminder_id: int) -> Reminder | None:
        """Cancel by the row's id (the buttons carry it); the reminder, or None if not open."""
        reminder = await self.store.get_reminder(reminder_id)
        if reminder is None or not await self.store.cancel(user.user_id, reminder_id):
            return None
        self.changed()
        return reminder

    async def cancel_number(self, user: User, number: int) -> Reminder | None:
        """Cancel by the number the user sees (/cancel 3); None if no such open reminder."""
        cancelled = await self.store.cancel_number(user.user_id, number)
        if cancelled is not None:
            self.changed()
        return cancelled

    async def snooze(self, user: User, reminder_id: int) -> Reminder | None:
        """Remind again in an hour: a new reminder with the same text."""
        original = await self.store.get_reminder(reminder_id)
        if original is None or original.user_id != user.user_id:
            return None
        await self.check_room(user)
        due = self.clock() + SNOOZE
        return await self.add(
            NewReminder(user.user_id, user.chat_id, original.text, due, self.zone(user).key)
        )

    async def listing(self, user: User) -> Listing:
        return Listing(await self.store.user_reminders(user.user_id), self.zone(user))

    async def my_data(self, user_id: int) -> MyData:
        """Everything stored about the user: their row, live reminders, deliveries."""
        remembered = await self.store.load_context(str(user_id))
        dialog = await self.store.load_dialog(user_id)
        if dialog is not None and self.clock() - dialog.started_at > DIALOG_LIFETIME:
            dialog = None  # expired: dropped the next time the user writes
        return MyData(
            await self.store.get_user(user_id),
            await self.store.user_reminders(user_id, statuses=OPEN_STATUSES),
            await self.store.user_deliveries(user_id),
            self.default_zone,
            remembered[0] if remembered else None,
            await self.store.count_reminders(user_id, PAST),
            f"/{dialog.command}" if dialog is not None else None,
            tuple(await self.store.user_tickets(user_id)),
        )

    async def forget(self, user_id: int) -> bool:
        """Delete everything stored about the user."""
        return await self.store.delete_user(user_id)


def reminder_number(text: str) -> int | None:
    """'12' or '#12' as a reminder number; None for anything else.

    ASCII digits only ("①" and "²" are digits to ``str.isdigit`` but not to
    ``int``), and few enough of them to fit the database's 64-bit integers.
    """
    match = REMINDER_NUMBER.fullmatch(text.strip())
    return int(match[1]) if match else None


def find_stage(kb: KnowledgeBase, words: Sequence[str]) -> tuple[Stage, list[str]]:
    """The stage named at the start of ``words``, by id or title; the longest name wins.

    "application review 14 Feb" is the review stage, "application 14 Feb" the application.
    """
    for length in range(min(len(words), MAX_STAGE_WORDS), 0, -1):
        name = " ".join(words[:length]).casefold()
        for stage in kb.stages:
            if name in (stage.id.casefold(), stage.title.casefold()):
                return stage, list(words[length:])
    names = ", ".join(s.id for s in kb.stages)
    typed = excerpt(words[0]) if words else ""
    raise InputError(f"'{typed}' is not a stage; use one of: {names}, e.g. {STAGE_EXAMPLE}")


def following(kb: KnowledgeBase, stage: Stage) -> Stage | None:
    position = kb.stages.index(stage)
    return kb.stages[position + 1] if position + 1 < len(kb.stages) else None


def default_due(default: StageReminder, stage_at: datetime, zone: ZoneInfo) -> datetime:
    """When a stage's default reminder falls: whole days keep the local clock time."""
    if default.at is not None:
        return day_before_at(stage_at, default.before.days, default.at, zone)
    if default.before % timedelta(days=1) == timedelta(0):
        # "7 days before" a 10:30 interview is 10:30 local, even across a DST change.
        local = stage_at.astimezone(zone).replace(tzinfo=None) - default.before
        return wall_clock_in(local, zone)
    return stage_at - default.before


def reminder_text(default: StageReminder, stage: Stage, stage_at: datetime, zone: ZoneInfo) -> str:
    local = stage_at.astimezone(zone)
    return default.text.format(
        stage=stage.title.lower(),
        date=local.strftime("%a %d %b %Y"),
        time=local.strftime("%H:%M"),
        zone=zone.key,
    )
