"""The live knowledge base and its matcher, swapped together as one object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matcher import Match, Matcher


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A knowledge base with the index built for it; never changes once made."""

    kb: KnowledgeBase
    matcher: Matcher

    @classmethod
    def build(cls, kb: KnowledgeBase) -> Snapshot:
        return cls(kb, Matcher(kb))

    def match(self, text: str) -> Match:
        return self.matcher.match(text)


class Answers:
    """Holds the current Snapshot; a reload replaces it in a single assignment.

    A handler takes ``answers.current`` once per update, so a question in flight
    keeps the snapshot it started with even if a reload lands meanwhile.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.current = snapshot

    @classmethod
    def load(cls, directory: Path) -> Answers:
        return cls(Snapshot.build(load_knowledge(directory)))
