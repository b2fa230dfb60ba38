"""The knowledge base as the bot uses it: immutable once loaded."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

SMALLTALK_PREFIX = "smalltalk."


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was defined, for error messages."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    questions: tuple[str, ...]
    answer: str
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    location: Location | None = field(default=None, compare=False)

    @property
    def is_smalltalk(self) -> bool:
        return self.id.startswith(SMALLTALK_PREFIX)


@dataclass(frozen=True, slots=True)
class StageReminder:
    """A default reminder: ``before`` the stage's date, optionally at a local clock time."""

    before: timedelta
    text: str
    at: time | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the selection process, which is also an application stage."""

    id: str
    title: str
    topic: str
    reminders: tuple[StageReminder, ...] = ()


@dataclass(frozen=True, slots=True)
class Announcement:
    """A message staff schedule in the knowledge base: sent once, at its time."""

    id: str
    at: datetime  # UTC
    text: str
    stage: str | None = None  # only users at this stage; None = everyone


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    topics: Mapping[str, Topic]
    stages: tuple[Stage, ...]
    messages: Mapping[str, str]
    synonyms: Mapping[str, tuple[str, ...]]
    directory: Path
    announcements: tuple[Announcement, ...] = ()

    @property
    def welcome(self) -> str:
        return self.messages["welcome"]

    @property
    def fallback(self) -> str:
        return self.messages["fallback"]

    def stage(self, stage_id: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)


def normalise_phrasing(text: str) -> str:
    """Fold case, punctuation and spacing so that trivially equal phrasings compare equal."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def iter_phrasings(kb: KnowledgeBase) -> Iterator[tuple[Topic, str]]:
    """Every (topic, phrasing) pair the matcher indexes: the title and each question."""
    for topic in kb.topics.values():
        yield topic, topic.title
        for question in topic.questions:
            yield topic, question
