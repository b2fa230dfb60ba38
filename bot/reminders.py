"""Applicants' stages, dates and reminders: the rules, in the user's own time zone.

Everything is committed to SQLite before the caller is told it is set; the
Pusher (bot/push.py) delivers whatever is due from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.knowledge import KnowledgeBase, Stage, StageReminder
from bot.storage import NewReminder, Reminder, Storage, User
from bot.timeparse import (
    InputError,
    day_before_at,
    local_to_utc,
    parse_local_datetime,
    parse_remind,
    parse_zone,
    require_future,
)

LOCAL_FORMAT = "%Y-%m-%d %H:%M"
SNOOZE = timedelta(hours=1)
# Each one is a message the bot must send: a cap keeps one user from filling the queue.
MAX_OPEN_REMINDERS = 100
STAGE_EXAMPLE = "/stage interview 2027-02-14 10:30"


def utc_now() -> datetime:
    return datetime.now(UTC)


def show(moment: datetime, zone: ZoneInfo) -> str:
    """A time as the user reads it: 'Sun 14 Feb 2027 10:30'."""
    return moment.astimezone(zone).strftime("%a %d %b %Y %H:%M")


@dataclass(frozen=True, slots=True)
class StageChange:
    stage: Stage
    stage_at: datetime | None
    reminders: list[Reminder]
    skipped: int  # default reminders whose time had already passed
    next_stage: Stage | None


@dataclass(frozen=True, slots=True)
class Seen:
    user: User
    resumed: int  # reminders resumed because the user had blocked the bot and came back


class Tracker:
    def __init__(
        self,
        storage: Storage,
        default_zone: ZoneInfo,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.storage = storage
        self.default_zone = default_zone
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []

    async def fresh(self, user: User) -> User:
        """The user as stored now: the caller's copy may predate a change."""
        return await self.storage.get_user(user.user_id) or user

    def zone(self, user: User) -> ZoneInfo:
        return ZoneInfo(user.timezone) if user.timezone else self.default_zone

    def changed(self) -> None:
        """Tell the pusher that reminders changed, so it need not wait for its next tick."""
        for listener in self.listeners:
            listener()

    async def seen(self, user_id: int, chat_id: int) -> Seen:
        user, resumed = await self.storage.touch_user(user_id, chat_id, self.clock())
        if resumed:
            self.changed()
        return Seen(user, resumed)

    async def remind(self, user: User, args: str) -> Reminder:
        """/remind 2027-02-14 09:00 TEXT, or /remind in 90 minutes TEXT."""
        open_count = len(await self.storage.user_reminders(user.user_id))
        if open_count >= MAX_OPEN_REMINDERS:
            raise InputError(
                f"you have {open_count} open reminders, the most I keep; "
                "cancel some first, e.g. /cancel 12 (numbers are in /reminders)"
            )
        zone = self.zone(user)
        due, text, wall_clock = parse_remind(args, self.clock(), zone)
        local = due.astimezone(zone).strftime(LOCAL_FORMAT) if wall_clock else None
        new = NewReminder(user.user_id, user.chat_id, text, due, zone.key, local_time=local)
        [reminder_id] = await self.storage.add_reminders([new], self.clock())
        self.changed()
        reminder = await self.storage.get_reminder(reminder_id)
        assert reminder is not None
        return reminder

    async def set_stage(
        self, user: User, kb: KnowledgeBase, stage_id: str, when: list[str]
    ) -> StageChange:
        """/stage interview [2027-02-14 10:30]: stage, date and the stage's reminders.

        Naming the current stage again without a date keeps its date and reminders.
        """
        stage = kb.stage(stage_id.lower())
        if stage is None:
            names = ", ".join(s.id for s in kb.stages)
            raise InputError(f"'{stage_id}' is not a stage; use one of: {names}")
        user = await self.fresh(user)
        zone = self.zone(user)
        stage_at: datetime | None = None
        if when:
            if len(when) != 2:
                raise InputError(f"give the date as YYYY-MM-DD HH:MM, e.g. {STAGE_EXAMPLE}")
            stage_at = parse_local_datetime(when[0], when[1], zone)
            require_future(stage_at, self.clock(), zone)
        elif stage.id == user.stage:
            return StageChange(stage, user.stage_at, [], 0, following(kb, stage))
        return await self.apply_stage(user, kb, stage, stage_at, zone)

    async def apply_stage(
        self,
        user: User,
        kb: KnowledgeBase,
        stage: Stage,
        stage_at: datetime | None,
        zone: ZoneInfo,
        done: frozenset[int] = frozenset(),
    ) -> StageChange:
        """Store the stage; schedule its default reminders except those numbered in ``done``."""
        now = self.clock()
        planned = self.plan(user, stage, stage_at, zone) if stage_at else []
        upcoming = [r for i, r in enumerate(planned) if r.due_at > now and i not in done]
        local = stage_at.astimezone(zone).strftime(LOCAL_FORMAT) if stage_at else None
        ids = await self.storage.set_stage(user.user_id, stage.id, stage_at, local, upcoming, now)
        if ids:
            self.changed()
        reminders = [r for r in await self.storage.user_reminders(user.user_id) if r.id in ids]
        skipped = len(planned) - len(upcoming)
        return StageChange(stage, stage_at, reminders, skipped, following(kb, stage))

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
            )
            for default in stage.reminders
        ]

    async def set_timezone(self, user: User, kb: KnowledgeBase, name: str) -> tuple[ZoneInfo, int]:
        """Set the zone; dates and reminders typed as local times keep their clock time.

        Returns the zone and how many reminders moved.
        """
        zone = parse_zone(name)
        user = await self.fresh(user)
        moved = []
        for reminder in await self.storage.user_reminders(user.user_id):
            if reminder.local_time:
                local = datetime.strptime(reminder.local_time, LOCAL_FORMAT)  # noqa: DTZ007
                moved.append((reminder.id, wall_clock_in(local, zone)))
        await self.storage.set_timezone(user.user_id, zone.key, moved)
        if moved:
            self.changed()
        stage = kb.stage(user.stage) if user.stage else None
        if stage is not None and user.stage_local and user.stage_at is not None:
            local = datetime.strptime(user.stage_local, LOCAL_FORMAT)  # noqa: DTZ007
            stage_at = wall_clock_in(local, zone)
            if stage_at > self.clock():
                # Defaults whose time already came in the old zone were delivered:
                # moving the date must not schedule them again.
                before = self.plan(user, stage, user.stage_at, self.zone(user))
                done = frozenset(i for i, r in enumerate(before) if r.due_at <= self.clock())
                change = await self.apply_stage(user, kb, stage, stage_at, zone, done)
                moved.extend((r.id, r.due_at) for r in change.reminders)
        return zone, len(moved)

    async def cancel(self, user: User, reminder_id: int) -> bool:
        cancelled = await self.storage.cancel(user.user_id, reminder_id)
        if cancelled:
            self.changed()
        return cancelled

    async def snooze(self, user: User, reminder_id: int) -> Reminder | None:
        """Remind again in an hour: a new reminder with the same text."""
        original = await self.storage.get_reminder(reminder_id)
        if original is None or original.user_id != user.user_id:
            return None
        due = self.clock() + SNOOZE
        new = NewReminder(user.user_id, user.chat_id, original.text, due, self.zone(user).key)
        [new_id] = await self.storage.add_reminders([new], self.clock())
        self.changed()
        return await self.storage.get_reminder(new_id)


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


def wall_clock_in(local: datetime, zone: ZoneInfo) -> datetime:
    """A local time in ``zone`` as UTC, moved past a DST gap if it falls in one."""
    try:
        return local_to_utc(local, zone)
    except InputError:
        return local_to_utc(local + timedelta(hours=1), zone)


def reminder_text(default: StageReminder, stage: Stage, stage_at: datetime, zone: ZoneInfo) -> str:
    local = stage_at.astimezone(zone)
    return default.text.format(
        stage=stage.title.lower(),
        date=local.strftime("%a %d %b %Y"),
        time=local.strftime("%H:%M"),
        zone=zone.key,
    )
