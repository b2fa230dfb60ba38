"""Load and validate a knowledge directory into an immutable KnowledgeBase."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from bot.knowledge.model import KnowledgeBase, Location
from bot.knowledge.nodes import MAX_FILES, SUFFIXES, KnowledgeBaseError, Problem, suggest
from bot.knowledge.schedule import ScheduleReader
from bot.knowledge.topics import MESSAGE_KEYS, TopicReader

TOP_LEVEL_KEYS = ("topics", "stages", "messages", "synonyms", "announcements")


def load_knowledge(directory: Path | str) -> KnowledgeBase:
    """Read every ``*.yaml`` file under ``directory``; raise KnowledgeBaseError on any problem."""
    loader = Loader(Path(directory))
    return loader.load()


def check_knowledge(directory: Path | str) -> list[Problem]:
    """Return every problem in the knowledge directory (empty when it is valid)."""
    try:
        load_knowledge(directory)
    except KnowledgeBaseError as error:
        return error.problems
    return []


def knowledge_files(directory: Path) -> list[Path]:
    """The YAML files of a knowledge directory, in a stable order.

    A link that leads out of the directory is not one of them: it could make the
    bot read and repeat any file on the machine.
    """
    inside = directory.resolve()
    return sorted(
        p
        for p in directory.rglob("*")
        if p.suffix in SUFFIXES and p.is_file() and p.resolve().is_relative_to(inside)
    )


def outside_links(directory: Path) -> list[Path]:
    """YAML files that are links to somewhere outside the directory (refused)."""
    inside = directory.resolve()
    return sorted(
        p
        for p in directory.rglob("*")
        if p.suffix in SUFFIXES and p.is_symlink() and not p.resolve().is_relative_to(inside)
    )


class Loader(TopicReader, ScheduleReader):
    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        self.path = directory

    def load(self) -> KnowledgeBase:
        files = self.files()
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

    def files(self) -> list[Path]:
        """The files to read, in order (bot/knowledge/texts.py reads them from memory)."""
        if not self.directory.is_dir():
            raise KnowledgeBaseError(
                [Problem(Location(self.directory, 0), "knowledge directory not found")]
            )
        files = knowledge_files(self.directory)
        for link in outside_links(self.directory):
            self.problem_at(
                Location(link, 0), "a link to a file outside the knowledge directory; not read"
            )
        if len(files) > MAX_FILES:
            self.problem_at(
                Location(self.directory, 0),
                f"{len(files)} files; a knowledge base has at most {MAX_FILES}",
            )
            files = files[:MAX_FILES]
        return files

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

    def check_references(self) -> None:
        stage_ids = {stage.id for stage in self.stages}
        for ident, stage_id, location in self.announcement_stages:
            if stage_id not in stage_ids:
                self.problem_at(
                    location,
                    f"announcement '{ident}': stage '{stage_id}' does not "
                    f"exist{suggest(stage_id, tuple(stage_ids))}",
                )
        for topic_id, target, location in self.related:
            if target == topic_id:
                self.problem_at(location, f"topic '{topic_id}': 'related' lists the topic itself")
            elif target not in self.topics and target not in self.broken_topics:
                self.problem_at(
                    location,
                    f"topic '{topic_id}': related topic '{target}' does not exist"
                    f"{suggest(target, tuple(self.topics))}",
                )
        for stage, location in self.stage_nodes:
            if stage.topic not in self.topics and stage.topic not in self.broken_topics:
                self.problem_at(
                    location,
                    f"stage '{stage.id}': topic '{stage.topic}' does not exist"
                    f"{suggest(stage.topic, tuple(self.topics))}",
                )
        first_file = Location(self.directory, 0)
        for key in MESSAGE_KEYS:
            if key not in self.messages:
                self.problem_at(
                    first_file, f"no file defines the message '{key}' under 'messages'"
                )
