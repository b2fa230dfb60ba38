"""Stages with their default reminders, and scheduled announcements."""

from __future__ import annotations

import re
from datetime import timedelta
from string import Formatter

import yaml

from bot.knowledge.model import Announcement, Location, Stage, StageReminder
from bot.knowledge.nodes import NodeReader
from bot.timeparse import MAX_TEXT_LENGTH as MAX_REMINDER_TEXT
from bot.timeparse import (
    InputError,
    parse_clock,
    parse_duration,
    parse_local_datetime,
    parse_zone,
)

STAGE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
STAGE_KEYS = ("id", "title", "topic", "reminders")
STAGE_REQUIRED = ("id", "title", "topic")
STAGE_REMINDER_KEYS = ("before", "at", "text")
# What a stage reminder's text may say about the user's date; filled in when scheduled.
REMINDER_FIELDS = ("stage", "date", "time", "zone")
ANNOUNCEMENT_KEYS = ("id", "at", "timezone", "stage", "text")
ANNOUNCEMENT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MAX_ANNOUNCEMENT_LENGTH = 4000


class ScheduleReader(NodeReader):
    def __init__(self) -> None:
        super().__init__()
        self.stages: list[Stage] = []
        self.stage_nodes: list[tuple[Stage, Location]] = []
        self.stages_location: Location | None = None
        self.announcements: list[tuple[Announcement, Location]] = []
        self.announcement_stages: list[tuple[str, str, Location]] = []

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
