"""Every kind of button data, defined once: typed, encoded, and decoded strictly.

Telegram returns a pressed button's data as it was sent, but a modified client
can send anything, so ``decode`` accepts only well-formed data: ASCII digits of
a bounded length for numbers, and the declared words for choices. Anything else
decodes to None and is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

from bot.timebase import iana_name

# Telegram's callback_data holds at most 64 bytes.
CALLBACK_DATA_LIMIT = 64
# Within a 64-bit integer: a forged 60-digit id must not reach the database.
NUMBER = re.compile(r"[0-9]{1,18}")
WORD = re.compile(r"[A-Za-z0-9._-]{1,60}")


@dataclass(frozen=True)
class ButtonData:
    """A button's payload: ``prefix:field:field``; subclasses are frozen dataclasses."""

    prefix: ClassVar[str]
    choices: ClassVar[tuple[str, str]] = ("1", "0")  # how True and False are written
    registry: ClassVar[dict[str, type[ButtonData]]] = {}

    def __init_subclass__(cls, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix in ButtonData.registry:
            raise ValueError(f"button prefix '{prefix}' is used twice")
        cls.prefix = prefix
        ButtonData.registry[prefix] = cls

    def encode(self) -> str:
        values = [self.write(getattr(self, f.name)) for f in fields(self)]
        data = f"{self.prefix}:{':'.join(values)}"
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"button data over {CALLBACK_DATA_LIMIT} bytes: {data!r}")
        return data

    def write(self, value: object) -> str:
        if isinstance(value, bool):
            return self.choices[0] if value else self.choices[1]
        return str(value)

    @classmethod
    def pattern(cls) -> str:
        """A regular expression that routes this kind of button to its handler."""
        return rf"^{re.escape(cls.prefix)}:"

    @classmethod
    def decode(cls, data: str | None) -> Self | None:
        """The payload, or None if ``data`` is not well-formed data of this kind."""
        if data is None or not data.startswith(f"{cls.prefix}:"):
            return None
        parts = data[len(cls.prefix) + 1 :].split(":")
        specs = fields(cls)
        if not specs:
            return cls() if parts == [""] else None
        if len(parts) != len(specs):
            return None
        values = []
        for spec, text in zip(specs, parts, strict=True):
            value = cls.read(spec.type, text)
            if value is None:
                return None
            values.append(value)
        return cls(*values)

    @classmethod
    def read(cls, kind: object, text: str) -> object | None:
        if kind in (int, "int"):
            return int(text) if NUMBER.fullmatch(text) else None
        if kind in (bool, "bool"):
            return {cls.choices[0]: True, cls.choices[1]: False}.get(text)
        return text if WORD.fullmatch(text) else None


@dataclass(frozen=True)
class AnswerTopic(ButtonData, prefix="t"):
    """Answer a topic in a new message (a "did you mean" choice or a follow-up)."""

    topic: str


@dataclass(frozen=True)
class Browse(ButtonData, prefix="b"):
    """Show a browse menu in place."""

    section: str


@dataclass(frozen=True)
class BrowseTopic(ButtonData, prefix="bt"):
    """Show a topic in place, with Back."""

    topic: str


@dataclass(frozen=True)
class NoneOfThese(ButtonData, prefix="f"):
    """None of the "did you mean" choices fits."""


@dataclass(frozen=True)
class Vote(ButtonData, prefix="fb"):
    """Was the answer helpful."""

    helpful: bool
    topic: str


@dataclass(frozen=True)
class SetStage(ButtonData, prefix="st"):
    stage: str


@dataclass(frozen=True)
class CancelReminder(ButtonData, prefix="rc"):
    reminder: int


@dataclass(frozen=True)
class SnoozeReminder(ButtonData, prefix="rs"):
    reminder: int


@dataclass(frozen=True)
class DoneReminder(ButtonData, prefix="rd"):
    reminder: int


@dataclass(frozen=True)
class Forget(ButtonData, prefix="fg"):
    """The /forget confirmation."""

    choices = ("yes", "no")
    confirm: bool


@dataclass(frozen=True)
class BroadcastChoice(ButtonData, prefix="bc"):
    """Confirm or Cancel under a broadcast preview."""

    choices = ("yes", "no")
    confirm: bool
    broadcast: int


# -- guided commands (bot/guide.py) ---------------------------------------------------


@dataclass(frozen=True)
class RemindWhen(ButtonData, prefix="gw"):
    """A choice under "When should I remind you?"."""

    words: ClassVar[tuple[str, ...]] = ("hour", "tomorrow", "type")
    choice: str

    @classmethod
    def read(cls, kind: object, text: str) -> object | None:
        return text if text in cls.words else None


@dataclass(frozen=True)
class ChooseZone(ButtonData, prefix="gz"):
    """A time zone offered as a button: an IANA name this machine can load."""

    zone: str

    @classmethod
    def read(cls, kind: object, text: str) -> object | None:
        return text if iana_name(text) == text else None


@dataclass(frozen=True)
class OtherZone(ButtonData, prefix="gzo"):
    """ "Other: type a city" under the zone buttons."""


@dataclass(frozen=True)
class PickReading(ButtonData, prefix="gr"):
    """One reading of an ambiguous date, by its place in the question."""

    index: int


@dataclass(frozen=True)
class NoDate(ButtonData, prefix="gnd"):
    """ "No date yet" under the stage date question."""


@dataclass(frozen=True)
class ReminderPage(ButtonData, prefix="rpg"):
    """Previous / Next under /reminders."""

    page: int


@dataclass(frozen=True)
class MyDataPage(ButtonData, prefix="mpg"):
    """Previous / Next under /mydata."""

    page: int


@dataclass(frozen=True)
class DefaultReminders(ButtonData, prefix="sdr"):
    """The /settings switch for a stage's default reminders."""

    choices = ("on", "off")
    on: bool


@dataclass(frozen=True)
class ChangeZone(ButtonData, prefix="scz"):
    """ "Change time zone" under /settings."""


@dataclass(frozen=True)
class OpenStage(ButtonData, prefix="sst"):
    """ "Set my stage" under the /start menu."""


# -- the help desk and the knowledge base from Telegram ------------------------------


@dataclass(frozen=True)
class AskPerson(ButtonData, prefix="dq"):
    """Under what the bot could not answer: pass the question on to staff."""


@dataclass(frozen=True)
class SendTicket(ButtonData, prefix="ds"):
    """Confirm a question for staff, with or without the applicant's name."""

    choices = ("name", "anon")
    draft: int
    named: bool


@dataclass(frozen=True)
class DropTicket(ButtonData, prefix="dd"):
    draft: int


@dataclass(frozen=True)
class CloseTicket(ButtonData, prefix="dc"):
    ticket: int


@dataclass(frozen=True)
class TicketToKb(ButtonData, prefix="dk"):
    """Turn an answered ticket into knowledge."""

    ticket: int


@dataclass(frozen=True)
class Curate(ButtonData, prefix="ku"):
    """Offer the topics an unanswered question could join."""

    suggestion: int


@dataclass(frozen=True)
class PickTopic(ButtonData, prefix="kp"):
    """The question becomes a phrasing of the suggestion's ``choice``-th candidate topic."""

    suggestion: int
    choice: int


@dataclass(frozen=True)
class NewTopic(ButtonData, prefix="kn"):
    """A new topic drafted from the staff answer."""

    suggestion: int


@dataclass(frozen=True)
class KbChoice(ButtonData, prefix="ka"):
    """Apply or Cancel under a knowledge base change's preview."""

    choices = ("yes", "no")
    confirm: bool
    draft: int
