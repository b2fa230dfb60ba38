"""``jetbot kb eval --labelled`` and ``jetbot kb labelled``: the labelled regression set
staff build from Telegram ("Add to knowledge base"), kept in the database.

The evaluation reads the knowledge base that serves: the newest stored version if
staff applied one, else the knowledge directory.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.answers import Snapshot
from bot.cli_db import CommandError, with_configured_store
from bot.config import Settings
from bot.evaluation import LabelledQuestion
from bot.knowledge import KnowledgeBaseError, load_knowledge
from bot.knowledge.texts import load_texts
from bot.store import Store
from bot.text import printable

Labelled = list[tuple[str, str | None]]


def labelled_set(settings: Settings) -> tuple[Snapshot, list[LabelledQuestion], str]:
    """The serving knowledge base, the stored labelled questions, and which version it is."""

    async def read(store: Store) -> tuple[Labelled, dict[str, str] | None, int]:
        number = await store.latest_kb_number()
        version = await store.kb_version(number) if number else None
        files = version.files if version is not None else None
        return await store.labelled_questions(), files, number

    labelled, files, number = asyncio.run(with_configured_store(settings, read))
    try:
        kb = load_knowledge(settings.knowledge) if files is None else load_texts(files)
    except KnowledgeBaseError as error:
        raise CommandError(f"the serving knowledge base does not load:\n{error}") from error
    which = f"stored version {number}" if files is not None else str(settings.knowledge)
    items = [LabelledQuestion(question, topic) for question, topic in labelled]
    return Snapshot.build(kb), items, which


def labelled_yaml(items: list[LabelledQuestion]) -> str:
    """The set as a ``{q, topic}`` list that ``jetbot kb eval FILE`` reads."""
    lines = ["# The labelled regression set, from Telegram's 'Add to knowledge base'."]
    for item in items:
        lines.append(f"- q: {json.dumps(printable(item.question), ensure_ascii=False)}")
        lines.append(f"  topic: {json.dumps(item.topic)}")
    if not items:
        lines.append("[]")
    return "\n".join(lines) + "\n"


def write_labelled(settings: Settings, out: str | None) -> str:
    """Export the set; what to print. The questions alone: no knowledge base is loaded."""

    async def read(store: Store) -> Labelled:
        return await store.labelled_questions()

    labelled = asyncio.run(with_configured_store(settings, read))
    items = [LabelledQuestion(question, topic) for question, topic in labelled]
    text = labelled_yaml(items)
    if out is None:
        return text.rstrip("\n")
    Path(out).write_text(text, encoding="utf-8")
    return f"wrote {len(items)} labelled question(s) to {out}"
