"""Guided commands: a command sent without all its arguments asks for the rest, step by step.

The rules:

- ``/remind`` alone asks when (buttons: in 1 hour, tomorrow 9:00, type a date), then what;
  ``/remind tomorrow 9am`` without a text asks only what.
- ``/stage interview`` (typed, or a stage button under ``/stage``) sets the stage and asks
  its date; "No date yet" ends the step.
- ``/timezone`` alone asks for a city, country or offset, with buttons for the zones likely
  from the user's Telegram language; a name with several zones asks which, a button each.
- Someone who never set a zone and gives a date (a wall-clock reminder, a stage date) is
  asked for the zone first; the command is kept and carried out once the zone is chosen.
- A date that can be read two ways (03/04/2027) asks which, a button per reading.
- One step per user waits in the store (``dialogs``), so a restart loses nothing; it
  expires 30 minutes after it was asked. While a step waits for typed text, the user's next
  plain message is the answer, except that one ending in "?" at a date or zone step is a
  question: the step ends and the question is answered. Any other command ends the step
  (``/timezone London`` answers a zone question instead); ``/cancel`` ends it and says
  so. Without a step in progress, ``/cancel 12`` cancels reminder #12.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import AmbiguousDate, When
from bot.dates import parse_stage_when as read_stage_date
from bot.knowledge import KnowledgeBase, Stage
from bot.replies import Reply, problem
from bot.replies import guide as say
from bot.replies.tracking import (
    CANCEL_USAGE,
    cancelled,
    reminder_set_reply,
    stage_change_reply,
    stage_menu,
    timezone_reply,
)
from bot.store import Dialog, User
from bot.timeparse import InputError, local_to_utc, split_when
from bot.tracking import DIALOG_LIFETIME as LIFETIME
from bot.tracking import Tracker, find_stage, reminder_number
from bot.zones import likely_zones, resolve_zone

REMIND, STAGE, TIMEZONE = "remind", "stage", "timezone"
WHEN, TEXT, DATE, ZONE, READING = "when", "text", "date", "zone", "reading"
# Steps where a typed question ("what happens at the interview?") ends the step.
QUESTIONS_END = (WHEN, DATE, ZONE, READING)
# The zone where a wall-clock time comes latest: past there is past everywhere.
LATEST = ZoneInfo("Etc/GMT+12")
WHEN_CHOICES = {"hour": "in 1 hour", "tomorrow": "tomorrow 9:00"}


class Guide:
    """The guided steps of /remind, /stage and /timezone over the Tracker."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self.store = tracker.store

    def now(self) -> datetime:
        """What time it is for the steps (the tracker's clock)."""
        return self.tracker.clock()

    # -- the commands --------------------------------------------------------------------

    async def remind(self, user: User, args: str, language: str | None) -> Reply:
        """/remind [when [text]]: what is missing is asked for."""
        if not args.strip():
            await self.save(user, REMIND, WHEN, {})
            return say.ask_when()
        return await self.remind_args(user, args, language)

    async def stage(self, user: User, kb: KnowledgeBase, args: str, language: str | None) -> Reply:
        """/stage [stage [date]]: the stage menu, or the stage and then its date."""
        if not args.strip():
            return stage_menu(kb, user, self.tracker.zone(user))
        stage, rest = find_stage(kb, args.split())
        return await self.stage_words(user, kb, stage, rest, language)

    async def stage_chosen(
        self, user: User, kb: KnowledgeBase, stage_id: str, language: str | None
    ) -> Reply:
        """A stage button: set that stage, then ask its date."""
        stage, _ = find_stage(kb, [stage_id])
        return await self.stage_words(user, kb, stage, [], language)

    async def timezone(
        self, user: User, kb: KnowledgeBase, args: str, language: str | None
    ) -> Reply:
        """/timezone [zone]: set it, or ask for it with likely zones as buttons.

        Typed while the zone is asked for ("/timezone London" instead of "London"), it
        answers that question: the command waiting for the zone is carried out.
        """
        dialog = await self.load(user.user_id)
        waiting = dialog if dialog is not None and dialog.step == ZONE else None
        if dialog is not None and waiting is None:
            await self.store.end_dialog(user.user_id)  # any other step ends, as with commands
        if args.strip():
            return await self.zone_typed(user, kb, args, waiting, language)
        if waiting is None:
            await self.save(user, TIMEZONE, ZONE, {})
        user = await self.tracker.fresh(user)
        likely = likely_zones(language, now=self.now())
        return say.zone_prompt(
            self.tracker.zone(user), user.timezone is not None, likely, self.now()
        )

    async def cancel(self, user: User, args: str) -> Reply:
        """/cancel: the step in progress first; else /cancel 12 cancels reminder #12."""
        dialog = await self.load(user.user_id)
        number = reminder_number(args) if args.strip() else None
        if dialog is not None:
            await self.store.end_dialog(user.user_id)
            return say.step_cancelled(dialog.command, number)
        if args.strip() and number is None:
            return problem(CANCEL_USAGE)
        if number is None:
            return say.NOTHING_TO_CANCEL
        return cancelled(number, await self.tracker.cancel_number(user, number))

    async def end_step(self, user_id: int) -> bool:
        """A new command ends the step in progress."""
        return await self.store.end_dialog(user_id)

    # -- answers: typed text and buttons ---------------------------------------------------

    async def answer(
        self, user_id: int, kb: KnowledgeBase, text: str, language: str | None
    ) -> Reply | None:
        """The answer to the step in progress; None when no step waits (a question)."""
        dialog = await self.load(user_id)
        if dialog is None:
            return None
        user = await self.store.get_user(user_id)
        if user is None or (dialog.step in QUESTIONS_END and text.rstrip().endswith("?")):
            await self.store.end_dialog(user_id)
            return None
        try:
            return await self.go_on(user, kb, dialog, text, language)
        except InputError as error:
            raise InputError(f"{error} (or /cancel to stop)") from error

    async def go_on(
        self, user: User, kb: KnowledgeBase, dialog: Dialog, text: str, language: str | None
    ) -> Reply | None:
        """Carry the stored step on with the typed ``text``."""
        data = json.loads(dialog.data)
        if dialog.step == ZONE:
            return await self.zone_typed(user, kb, text, dialog, language)
        if dialog.command == REMIND and dialog.step == TEXT:
            return await self.remind_at(user, when_from(data["when"]), text)
        if dialog.command == REMIND and dialog.step in (WHEN, READING):
            kept = str(data.get("text", ""))
            return await self.remind_args(user, f"{text} {kept}".strip(), language)
        if dialog.command == STAGE and dialog.step in (DATE, READING):
            stage = await self.stage_of(user, kb, data)
            return await self.stage_words(user, kb, stage, text.split(), language)
        await self.store.end_dialog(user.user_id)
        return None

    async def remind_when(self, user: User, choice: str, language: str | None) -> Reply:
        """A button under "When should I remind you?"."""
        await self.expect(user, REMIND, (WHEN,))
        if choice not in WHEN_CHOICES:
            return say.type_when()
        return await self.remind_args(user, WHEN_CHOICES[choice], language)

    async def choose_zone(
        self, user: User, kb: KnowledgeBase, name: str, language: str | None
    ) -> Reply:
        """A zone button: set it, then carry out the command that waited for it."""
        dialog = await self.load(user.user_id)
        waiting = dialog if dialog is not None and dialog.step == ZONE else None
        return await self.set_zone(
            user, kb, ZoneInfo(name), say.fixed_note(name), waiting, language
        )

    async def other_zone(self, user: User) -> Reply:
        """ "Other: type a city": the next message is the zone; a waiting command stays."""
        dialog = await self.load(user.user_id)
        if dialog is None or dialog.step != ZONE:
            await self.save(user, TIMEZONE, ZONE, {})
        return say.type_zone()

    async def pick_reading(
        self, user: User, kb: KnowledgeBase, index: int, language: str | None
    ) -> Reply:
        """A reading of an ambiguous date, chosen by its button."""
        dialog = await self.expect(user, None, (READING,))
        data = json.loads(dialog.data)
        readings = data["readings"]
        if not 0 <= index < len(readings):
            raise InputError(say.STEP_CLOSED)
        when = self.in_zone(when_from(readings[index]), self.tracker.zone(user))
        if dialog.command == STAGE:
            stage = await self.stage_of(user, kb, data)
            return await self.stage_at(user, kb, stage, when)
        return await self.remind_at(user, when, str(data.get("text", "")))

    async def no_date(self, user: User) -> Reply:
        """ "No date yet" under the date question."""
        dialog = await self.expect(user, STAGE, (DATE,))
        await self.store.end_dialog(user.user_id)
        return say.no_date(str(json.loads(dialog.data).get("stage", "interview")))

    # -- the steps ----------------------------------------------------------------------

    async def remind_args(self, user: User, args: str, language: str | None) -> Reply:
        """/remind's arguments: the zone first if needed, then when, then what."""
        now, zone = self.now(), self.tracker.zone(user)
        if self.zone_first(user, lambda z: split_when(args, now, z)[0]):
            return await self.ask_zone_first(user, REMIND, args, language)
        try:
            when, text = split_when(args, now, zone)
        except AmbiguousDate as error:
            readings = [when_data(r) for r in error.readings]
            await self.save(user, REMIND, READING, {"readings": readings, "text": error.rest})
            return say.ask_reading(error.typed, error.readings, zone)
        return await self.remind_at(user, when, text)

    async def remind_at(self, user: User, when: When, text: str) -> Reply:
        """Set the reminder, or ask for its text if there is none yet."""
        if not text.strip():
            await self.save(user, REMIND, TEXT, {"when": when_data(when)})
            return say.ask_text(when, self.tracker.zone(user))
        reminder = await self.tracker.remind_at(user, when, text)
        await self.store.end_dialog(user.user_id)
        return reminder_set_reply(reminder, when.time_given)

    async def stage_words(
        self, user: User, kb: KnowledgeBase, stage: Stage, words: list[str], language: str | None
    ) -> Reply:
        """A stage and the words after it: ask the date, the zone, or set it all."""
        if not words:
            change = await self.tracker.stage_at(user, kb, stage, None)
            await self.save(user, STAGE, DATE, {"stage": stage.id})
            return say.chain(
                stage_change_reply(kb, change), say.ask_date(stage, change.stage_at is not None)
            )
        now, zone = self.now(), self.tracker.zone(user)
        if self.zone_first(user, lambda z: read_stage_date(words, now, z)):
            return await self.ask_zone_first(user, STAGE, " ".join([stage.id, *words]), language)
        try:
            when = read_stage_date(words, now, zone)
        except AmbiguousDate as error:
            readings = [when_data(r) for r in error.readings]
            await self.save(user, STAGE, READING, {"stage": stage.id, "readings": readings})
            return say.ask_reading(error.typed, error.readings, zone)
        return await self.stage_at(user, kb, stage, when)

    async def stage_at(self, user: User, kb: KnowledgeBase, stage: Stage, when: When) -> Reply:
        """Set the stage and its date; the step is over."""
        change = await self.tracker.stage_at(user, kb, stage, when)
        await self.store.end_dialog(user.user_id)
        return stage_change_reply(kb, change)

    async def stage_of(self, user: User, kb: KnowledgeBase, data: dict[str, Any]) -> Stage:
        """The stage a stored step is about, if the knowledge base still has it."""
        stage = kb.stage(str(data.get("stage", "")))
        if stage is None:  # removed from the knowledge base meanwhile
            await self.store.end_dialog(user.user_id)
            raise InputError(say.STEP_CLOSED)
        return stage

    async def zone_typed(
        self,
        user: User,
        kb: KnowledgeBase,
        text: str,
        dialog: Dialog | None,
        language: str | None,
    ) -> Reply:
        """A typed zone: set it if it is one, else ask which with a button each."""
        choice = resolve_zone(text, now=self.now())
        if choice.settled:
            return await self.set_zone(
                user, kb, ZoneInfo(choice.zones[0]), choice.note, dialog, language
            )
        data = json.loads(dialog.data) if dialog is not None else {}
        await self.save(user, dialog.command if dialog else TIMEZONE, ZONE, data)
        return say.zone_choices(choice, self.now())

    async def set_zone(
        self,
        user: User,
        kb: KnowledgeBase,
        zone: ZoneInfo,
        note: str,
        dialog: Dialog | None,
        language: str | None,
    ) -> Reply:
        """Set the zone, then carry out the command that waited for it (if one did)."""
        change = await self.tracker.set_zone(user, kb, zone, note)
        if dialog is not None:
            await self.store.end_dialog(user.user_id)
        confirmed = timezone_reply(change)
        args = str(json.loads(dialog.data).get("args", "")) if dialog is not None else ""
        if dialog is None or not args:
            return confirmed
        user = await self.tracker.fresh(user)
        if dialog.command == STAGE:
            carried = await self.stage(user, kb, args, language)
        else:
            carried = await self.remind_args(user, args, language)
        return say.chain(confirmed, carried)

    async def ask_zone_first(
        self, user: User, command: str, args: str, language: str | None
    ) -> Reply:
        """Keep the command and ask for the zone, with likely zones as buttons."""
        await self.save(user, command, ZONE, {"args": args})
        return say.ask_zone_first(likely_zones(language, now=self.now()), self.now())

    def zone_first(self, user: User, read: Callable[[ZoneInfo], When]) -> bool:
        """Whether to ask for the zone before reading a date: never set, and a date given.

        Mistakes no zone can fix (31 Feb, a date past everywhere) are raised at once.
        """
        if user.timezone is not None:
            return False
        try:
            return read(LATEST).wall_clock
        except AmbiguousDate:
            return True
        except InputError:
            pass
        with contextlib.suppress(AmbiguousDate):
            read(self.tracker.zone(user))  # worded in the zone the user has now
        return True

    @staticmethod
    def in_zone(when: When, zone: ZoneInfo) -> When:
        """A stored wall-clock reading, made an instant again in the user's zone now."""
        if not when.wall_clock:
            return when
        return When(local_to_utc(when.local, zone), when.local, when.time_given)

    # -- the stored step ---------------------------------------------------------------

    async def load(self, user_id: int) -> Dialog | None:
        """The step in progress; one older than LIFETIME is dropped."""
        dialog = await self.store.load_dialog(user_id)
        if dialog is not None and self.now() - dialog.started_at > LIFETIME:
            await self.store.end_dialog(user_id)
            return None
        return dialog

    async def expect(self, user: User, command: str | None, steps: tuple[str, ...]) -> Dialog:
        """The step a button belongs to, or the one-line "that question has closed"."""
        dialog = await self.load(user.user_id)
        if dialog is None or dialog.step not in steps or command not in (None, dialog.command):
            raise InputError(say.STEP_CLOSED)
        return dialog

    async def save(self, user: User, command: str, step: str, data: dict[str, Any]) -> None:
        """Store the step now waiting, with what was collected so far."""
        await self.store.save_dialog(
            Dialog(user.user_id, command, step, json.dumps(data), self.now())
        )


def when_data(when: When) -> dict[str, Any]:
    """A When as JSON for the stored step."""
    return {
        "at": int(when.at.timestamp()),
        "local": when.local.isoformat(timespec="minutes"),
        "time_given": when.time_given,
        "wall_clock": when.wall_clock,
    }


def when_from(data: dict[str, Any]) -> When:
    """A When back from the stored step's JSON."""
    return When(
        datetime.fromtimestamp(int(data["at"]), UTC),
        datetime.fromisoformat(str(data["local"])),
        bool(data["time_given"]),
        bool(data["wall_clock"]),
    )
