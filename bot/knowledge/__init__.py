"""The knowledge base: its model, and the loader that validates it with file:line."""

from __future__ import annotations

from bot.knowledge.loader import check_knowledge, knowledge_files, load_knowledge
from bot.knowledge.model import (
    SMALLTALK_PREFIX,
    Announcement,
    KnowledgeBase,
    Link,
    Location,
    Stage,
    StageReminder,
    Topic,
    iter_phrasings,
    normalise_phrasing,
)
from bot.knowledge.nodes import KnowledgeBaseError, Problem
from bot.knowledge.schedule import MAX_ANNOUNCEMENT_LENGTH
from bot.knowledge.topics import MAX_ANSWER_LENGTH

__all__ = [
    "MAX_ANNOUNCEMENT_LENGTH",
    "MAX_ANSWER_LENGTH",
    "SMALLTALK_PREFIX",
    "Announcement",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Link",
    "Location",
    "Problem",
    "Stage",
    "StageReminder",
    "Topic",
    "check_knowledge",
    "iter_phrasings",
    "knowledge_files",
    "load_knowledge",
    "normalise_phrasing",
]
