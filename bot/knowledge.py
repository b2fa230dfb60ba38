"""Load and validate a knowledge directory into an immutable KnowledgeBase.

The YAML is read as a node tree rather than with ``safe_load`` so that every
error can name the file and line that caused it, and so that duplicate keys
(which ``safe_load`` silently collapses) are caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from string import Formatter
from types import MappingProxyType

import yaml
from rapidfuzz import process

from bot.timeparse import MAX_TEXT_LENGTH as MAX_REMINDER_TEXT
from bot.timeparse import (
    InputError,
    parse_clock,
    parse_duration,
    parse_local_datetime,
    parse_zone,
)
from bot.yamlload import FastSafeLoader

MAX_ANSWER_LENGTH = 4096
TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$")
STAGE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SMALLTALK_PREFIX = "smalltalk."
# Topic ids travel in Telegram callback data, which holds 64 bytes with its prefix.
MAX_TOPIC_ID_LENGTH = 56

TOP_LEVEL_KEYS = ("topics", "stages", "messages", "synonyms", "announcements")
ANNOUNCEMENT_KEYS = ("id", "at", "timezone", "stage", "text")
ANNOUNCEMENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MAX_ANNOUNCEMENT_LENGTH = 4000
TOPIC_KEYS = ("id", "title", "questions", "answer", "keywords", "related", "links")
TOPIC_REQUIRED = ("id", "title", "questions", "answer")
STAGE_KEYS = ("id", "title", "topic", "reminders")
STAGE_REQUIRED = ("id", "title", "topic")
STAGE_REMINDER_KEYS = ("before", "at", "text")
# What a stage reminder's text may say about the user's date; filled in when scheduled.
REMINDER_FIELDS = ("stage", "date", "time", "zone")
LINK_KEYS = ("title", "url")
MESSAGE_KEYS = ("welcome", "fallback")


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


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the knowledge base, at a file and line."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge directory has one or more problems; none of it was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def load_knowledge(directory: Path | str) -> KnowledgeBase:
    """Read every ``*.yaml`` file under ``directory``; raise KnowledgeBaseError on any problem."""
    loader = _Loader(Path(directory))
    return loader.load()


def check_knowledge(directory: Path | str) -> list[Problem]:
    """Return every problem in the knowledge directory (empty when it is valid)."""
    try:
        load_knowledge(directory)
    except KnowledgeBaseError as error:
        return error.problems
    return []


def knowledge_files(directory: Path) -> list[Path]:
    """The YAML files of a knowledge directory, in a stable order."""
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def normalise_phrasing(text: str) -> str:
    """Fold case, punctuation and spacing so that trivially equal phrasings compare equal."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def peek_id(node: yaml.Node) -> str | None:
    """A mapping's 'id' value, read early so that every message about it can name it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode) and value.value:
                return str(value.value)
    return None


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    best = process.extractOne(word, choices, score_cutoff=70)
    return f" (did you mean '{best[0]}'?)" if best else ""


class _Loader:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[Problem] = []
        self.topics: dict[str, Topic] = {}
        self.stages: list[Stage] = []
        self.stage_nodes: list[tuple[Stage, Location]] = []
        self.stages_location: Location | None = None
        self.messages: dict[str, str] = {}
        self.message_locations: dict[str, Location] = {}
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.synonym_owner: dict[str, tuple[str, Location]] = {}
        self.phrasings: dict[str, tuple[str, Location]] = {}
        self.related: list[tuple[str, str, Location]] = []
        # Topics with an error of their own: known to exist, so not reported again as missing.
        self.broken_topics: dict[str, Location] = {}
        self.announcements: list[tuple[Announcement, Location]] = []
        self.announcement_stages: list[tuple[str, str, Location]] = []
        self.path = directory

    def load(self) -> KnowledgeBase:
        if not self.directory.is_dir():
            raise KnowledgeBaseError(
                [Problem(Location(self.directory, 0), "knowledge directory not found")]
            )
        files = knowledge_files(self.directory)
        if not files:
            self.problem_at(Location(self.directory, 0), "no .yaml files in knowledge directory")
        for path in files:
            self.load_file(path)
        self.check_references()
        if self.problems:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(
            topics=MappingProxyType(dict(self.topics)),
            stages=tuple(self.stages),
            messages=MappingProxyType(dict(self.messages)),
            synonyms=MappingProxyType(dict(self.synonyms)),
            directory=self.directory,
            announcements=tuple(a for a, _ in self.announcements),
        )

    # -- reporting ---------------------------------------------------------

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1)

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.where(node), message))

    def problem_at(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, message))

    # -- generic node readers ------------------------------------------------

    def read_file(self, path: Path) -> yaml.Node | None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problem_at(Location(path, 0), f"cannot read file: {error}")
            return None
        try:
            return yaml.compose(text, Loader=FastSafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 0
            reason = error.problem or error.context or "invalid YAML"
            self.problem_at(Location(path, line), f"YAML syntax error: {reason}")
        except yaml.YAMLError as error:
            self.problem_at(Location(path, 0), f"YAML error: {error}")
        return None

    def mapping(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries by key, reporting unknown and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in entries:
                self.problem(key_node, f"{what}: key '{key}' appears twice")
            elif key not in allowed:
                self.problem(
                    key_node,
                    f"{what}: unknown key '{key}'{_suggest(key, allowed)}; "
                    f"allowed: {', '.join(allowed)}",
                )
            else:
                entries[key] = (key_node, value_node)
        return entries

    def text(self, key_node: yaml.Node, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(key_node, f"{what} must be text")
            return None
        value = str(node.value).strip()
        if not value or node.tag == "tag:yaml.org,2002:null":
            self.problem(key_node, f"{what} is empty")
            return None
        return value

    def text_list(
        self, key_node: yaml.Node, node: yaml.Node, what: str
    ) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, f"{what} must be a list")
            return []
        items = []
        for item in node.value:
            value = self.text(item, item, f"an entry of {what}")
            if value is not None:
                items.append((value, item))
        return items

    # -- sections ------------------------------------------------------------

    def load_file(self, path: Path) -> None:
        self.path = path
        root = self.read_file(path)
        if root is None:
            return
        entries = self.mapping(root, "file", TOP_LEVEL_KEYS)
        if entries is None:
            return
        readers = {
            "topics": self.load_topics,
            "stages": self.load_stages,
            "messages": self.load_messages,
            "synonyms": self.load_synonyms,
            "announcements": self.load_announcements,
        }
        for key, (key_node, value_node) in entries.items():
            readers[key](key_node, value_node)

    def load_topics(self, key_node: yaml.Node, node: yaml.Node) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, "'topics' must be a list of topics")
            return
        for item in node.value:
            self.load_topic(item)

    def load_topic(self, node: yaml.Node) -> None:
        ident = peek_id(node)
        entries = self.mapping(node, f"topic '{ident}'" if ident else "topic", TOPIC_KEYS)
        if entries is None:
            return
        topic_id = self.text(*entries["id"], "topic id") if "id" in entries else None
        what = f"topic '{topic_id or '?'}'"
        for key in TOPIC_REQUIRED:
            if key not in entries:
                self.problem(node, f"{what}: missing required field '{key}'")
        title = self.text(*entries["title"], f"{what}: 'title'") if "title" in entries else None
        answer = (
            self.text(*entries["answer"], f"{what}: 'answer'") if "answer" in entries else None
        )
        questions = self.listed(entries, "questions", what)
        keywords = self.listed(entries, "keywords", what)
        related = self.listed(entries, "related", what)
        links = self.links(*entries["links"], what) if "links" in entries else []
        if answer is not None and len(answer) > MAX_ANSWER_LENGTH:
            self.problem(
                entries["answer"][0],
                f"{what}: answer is {len(answer)} characters, over Telegram's limit of "
                f"{MAX_ANSWER_LENGTH}",
            )
        if topic_id is None:
            return
        if not TOPIC_ID.match(topic_id) or len(topic_id) > MAX_TOPIC_ID_LENGTH:
            self.problem(
                entries["id"][0],
                f"topic id '{topic_id}' must be lowercase words joined by dots, like "
                f"'positions.alt', at most {MAX_TOPIC_ID_LENGTH} characters",
            )
            return
        if topic_id in self.topics or topic_id in self.broken_topics:
            topic = self.topics.get(topic_id)
            first = topic.location if topic else self.broken_topics[topic_id]
            self.problem(node, f"duplicate topic id '{topic_id}' (first defined at {first})")
            return
        for question, q_node in questions:
            self.claim_phrasing(question, topic_id, self.where(q_node))
        for target, r_node in related:
            self.related.append((topic_id, target, self.where(r_node)))
        if title is None or answer is None or not questions:
            self.broken_topics[topic_id] = self.where(node)
            return
        self.topics[topic_id] = Topic(
            id=topic_id,
            title=title,
            questions=tuple(q for q, _ in questions),
            answer=answer,
            keywords=tuple(k for k, _ in keywords),
            related=tuple(r for r, _ in related),
            links=tuple(links),
            location=self.where(node),
        )

    def listed(
        self, entries: dict[str, tuple[yaml.Node, yaml.Node]], key: str, what: str
    ) -> list[tuple[str, yaml.Node]]:
        """A list-of-text field of a topic; an explicitly empty 'questions' is a problem."""
        if key not in entries:
            return []
        key_node, value_node = entries[key]
        items = self.text_list(key_node, value_node, f"{what}: '{key}'")
        if (
            key == "questions"
            and isinstance(value_node, yaml.SequenceNode)
            and not value_node.value
        ):
            self.problem(key_node, f"{what}: 'questions' is empty")
        return items

    def claim_phrasing(self, question: str, topic_id: str, location: Location) -> None:
        key = normalise_phrasing(question)
        if key in self.phrasings:
            owner, first = self.phrasings[key]
            where = "twice in this topic" if owner == topic_id else f"also under topic '{owner}'"
            self.problem_at(location, f"phrasing '{question}' appears {where} (at {first})")
        else:
            self.phrasings[key] = (topic_id, location)

    def links(self, key_node: yaml.Node, node: yaml.Node, what: str) -> list[Link]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, f"{what}: 'links' must be a list of {{title, url}}")
            return []
        links = []
        for item in node.value:
            entries = self.mapping(item, f"{what}: link", LINK_KEYS)
            if entries is None:
                continue
            missing = [key for key in LINK_KEYS if key not in entries]
            if missing:
                self.problem(item, f"{what}: link is missing '{missing[0]}'")
                continue
            title = self.text(*entries["title"], f"{what}: link title")
            url = self.text(*entries["url"], f"{what}: link url")
            if url is not None and not re.match(r"^https?://\S+$", url):
                self.problem(entries["url"][0], f"{what}: link url '{url}' must start with http")
            elif title is not None and url is not None:
                links.append(Link(title, url))
        return links

    def load_stages(self, key_node: yaml.Node, node: yaml.Node) -> None:
        if self.stages_location is not None:
            self.problem(key_node, f"'stages' already defined at {self.stages_location}")
            return
        self.stages_location = self.where(key_node)
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, "'stages' must be a list of stages")
            return
        seen: set[str] = set()
        for item in node.value:
            entries = self.mapping(item, "stage", STAGE_KEYS)
            if entries is None:
                continue
            missing = [key for key in STAGE_REQUIRED if key not in entries]
            if missing:
                self.problem(item, f"stage: missing required field '{missing[0]}'")
                continue
            stage_id, title, topic = (
                self.text(*entries[key], f"stage '{key}'") for key in STAGE_REQUIRED
            )
            if stage_id is None or title is None or topic is None:
                continue
            reminders = (
                self.stage_reminders(*entries["reminders"], stage_id)
                if "reminders" in entries
                else []
            )
            if not STAGE_ID.match(stage_id):
                self.problem(item, f"stage id '{stage_id}' must be lowercase, like 'interview'")
            elif stage_id in seen:
                self.problem(item, f"duplicate stage id '{stage_id}'")
            else:
                seen.add(stage_id)
                stage = Stage(stage_id, title, topic, tuple(reminders))
                self.stages.append(stage)
                self.stage_nodes.append((stage, self.where(entries["topic"][1])))

    def stage_reminders(
        self, key_node: yaml.Node, node: yaml.Node, stage_id: str
    ) -> list[StageReminder]:
        what = f"stage '{stage_id}': reminder"
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, f"stage '{stage_id}': 'reminders' must be a list")
            return []
        reminders = []
        for item in node.value:
            entries = self.mapping(item, what, STAGE_REMINDER_KEYS)
            if entries is None:
                continue
            missing = [key for key in ("before", "text") if key not in entries]
            if missing:
                self.problem(item, f"{what}: missing required field '{missing[0]}'")
                continue
            before_text = self.text(*entries["before"], f"{what} 'before'")
            text = self.text(*entries["text"], f"{what} 'text'")
            at_text = self.text(*entries["at"], f"{what} 'at'") if "at" in entries else None
            try:
                before = parse_duration(before_text) if before_text else None
                at = parse_clock(at_text) if at_text else None
            except InputError as error:
                self.problem(item, f"{what}: {error}")
                continue
            if at is not None and before is not None and before % timedelta(days=1):
                self.problem(entries["at"][0], f"{what}: 'at' needs 'before' in whole days")
                continue
            if text is not None and (why := self.unfillable(text)) is not None:
                self.problem(
                    entries["text"][0],
                    f"{what}: {why}; use "
                    + ", ".join(f"{{{name}}}" for name in REMINDER_FIELDS)
                    + " (write {{ and }} for literal braces)",
                )
                continue
            if text is not None and len(text) > MAX_REMINDER_TEXT:
                self.problem(
                    entries["text"][0], f"{what}: text over {MAX_REMINDER_TEXT} characters"
                )
                continue
            if before is not None and text is not None:
                reminders.append(StageReminder(before, text, at))
        return reminders

    @staticmethod
    def unfillable(text: str) -> str | None:
        """Why a reminder text cannot be filled in, or None if it can."""
        sample = dict.fromkeys(REMINDER_FIELDS, "x")
        try:
            text.format(**sample)
        except KeyError as error:
            return f"unknown placeholder {{{error.args[0]}}}"
        except IndexError:
            positional = next(
                name
                for _, name, _, _ in Formatter().parse(text)
                if name is not None and name not in REMINDER_FIELDS
            )
            return f"unknown placeholder {{{positional}}}"
        except ValueError as error:
            return f"unknown placeholder: a brace is not closed or opened ({error})"
        return None

    def load_messages(self, key_node: yaml.Node, node: yaml.Node) -> None:
        entries = self.mapping(node, "messages", MESSAGE_KEYS)
        for key, (k_node, v_node) in (entries or {}).items():
            if key in self.message_locations:
                self.problem(
                    k_node, f"message '{key}' already defined at {self.message_locations[key]}"
                )
                continue
            value = self.text(k_node, v_node, f"message '{key}'")
            if value is not None:
                self.messages[key] = value
                self.message_locations[key] = self.where(k_node)

    def load_synonyms(self, key_node: yaml.Node, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.problem(key_node, "'synonyms' must map a word to the list of its variants")
            return
        seen: set[str] = set()
        for k_node, v_node in node.value:
            word = normalise_phrasing(str(k_node.value))
            if word in seen:
                self.problem(k_node, f"synonyms: key '{word}' appears twice")
                continue
            seen.add(word)
            if not word or " " in word:
                self.problem(k_node, f"synonym '{k_node.value}' must be a single word")
                continue
            variants = []
            for variant, item in self.text_list(k_node, v_node, f"synonyms of '{word}'"):
                variant = normalise_phrasing(variant)
                owner = self.synonym_owner.get(variant)
                if owner is not None and owner[0] != word:
                    self.problem(
                        item,
                        f"variant '{variant}' is listed under '{owner[0]}' too (at {owner[1]})",
                    )
                    continue
                self.synonym_owner[variant] = (word, self.where(item))
                variants.append(variant)
            merged = dict.fromkeys((*self.synonyms.get(word, ()), *variants))
            self.synonyms[word] = tuple(merged)

    def load_announcements(self, key_node: yaml.Node, node: yaml.Node) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, "'announcements' must be a list")
            return
        for item in node.value:
            entries = self.mapping(item, "announcement", ANNOUNCEMENT_KEYS)
            if entries is None:
                continue
            missing = [key for key in ("id", "at", "text") if key not in entries]
            if missing:
                self.problem(item, f"announcement: missing required field '{missing[0]}'")
                continue
            ident, at_text, text = (
                self.text(*entries[key], f"announcement '{key}'") for key in ("id", "at", "text")
            )
            stage = (
                self.text(*entries["stage"], "announcement 'stage'")
                if "stage" in entries
                else None
            )
            zone_name = (
                self.text(*entries["timezone"], "announcement 'timezone'")
                if "timezone" in entries
                else "UTC"
            )
            if ident is None or at_text is None or text is None or zone_name is None:
                continue
            what = f"announcement '{ident}'"
            if not ANNOUNCEMENT_ID.match(ident):
                self.problem(
                    entries["id"][0], f"{what}: id must be lowercase, like 'open-day-2027'"
                )
                continue
            if any(a.id == ident for a, _ in self.announcements):
                first = next(loc for a, loc in self.announcements if a.id == ident)
                self.problem(item, f"duplicate announcement id '{ident}' (first at {first})")
                continue
            try:
                zone = parse_zone(zone_name)
            except InputError as error:
                self.problem(entries["timezone"][0], f"{what}: {error}")
                continue
            try:
                date_text, _, time_text = at_text.partition(" ")
                at = parse_local_datetime(date_text, time_text, zone)
            except InputError as error:
                self.problem(entries["at"][0], f"{what}: {error}")
                continue
            if len(text) > MAX_ANNOUNCEMENT_LENGTH:
                self.problem(
                    entries["text"][0], f"{what}: text over {MAX_ANNOUNCEMENT_LENGTH} characters"
                )
                continue
            self.announcements.append((Announcement(ident, at, text, stage), self.where(item)))
            if stage is not None:
                self.announcement_stages.append((ident, stage, self.where(entries["stage"][1])))

    def check_references(self) -> None:
        stage_ids = {stage.id for stage in self.stages}
        for ident, stage_id, location in self.announcement_stages:
            if stage_id not in stage_ids:
                self.problem_at(
                    location,
                    f"announcement '{ident}': stage '{stage_id}' does not "
                    f"exist{_suggest(stage_id, tuple(stage_ids))}",
                )
        for topic_id, target, location in self.related:
            if target == topic_id:
                self.problem_at(location, f"topic '{topic_id}': 'related' lists the topic itself")
            elif target not in self.topics and target not in self.broken_topics:
                self.problem_at(
                    location,
                    f"topic '{topic_id}': related topic '{target}' does not exist"
                    f"{_suggest(target, tuple(self.topics))}",
                )
        for stage, location in self.stage_nodes:
            if stage.topic not in self.topics and stage.topic not in self.broken_topics:
                self.problem_at(
                    location,
                    f"stage '{stage.id}': topic '{stage.topic}' does not exist"
                    f"{_suggest(stage.topic, tuple(self.topics))}",
                )
        first_file = Location(self.directory, 0)
        for key in MESSAGE_KEYS:
            if key not in self.messages:
                self.problem_at(
                    first_file, f"no file defines the message '{key}' under 'messages'"
                )


def iter_phrasings(kb: KnowledgeBase) -> Iterator[tuple[Topic, str]]:
    """Every (topic, phrasing) pair the matcher indexes: the title and each question."""
    for topic in kb.topics.values():
        yield topic, topic.title
        for question in topic.questions:
            yield topic, question
