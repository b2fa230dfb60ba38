"""Announcements to applicants: staff broadcasts and the knowledge base's schedule.

A confirmed broadcast becomes one outbox row per recipient in the transaction
that confirms it, so the Pusher delivers it with every guarantee a reminder has
(pacing, 429/403 handling, exactly one claim, resumption after a restart). When
no delivery of it is left open, one report to the staff member who sent it is
queued the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.knowledge import MAX_ANNOUNCEMENT_LENGTH, KnowledgeBase
from bot.replies.staff import report_text
from bot.store import BroadcastReport, Draft, Store
from bot.text import as_written
from bot.timeparse import InputError

ALL = "all"
# A scheduled announcement whose time passed this long ago when the bot first sees
# it (added late, or the bot was down for days) is skipped, not blasted out.
ANNOUNCEMENT_GRACE = timedelta(hours=24)
USAGE = "write /broadcast <stage|all> <text>, e.g. /broadcast interview Good luck!"


def parse(args: str, kb: KnowledgeBase) -> tuple[str | None, str]:
    """``<stage|all> <text>`` -> (stage id or None for everyone, text)."""
    # Any space or line break ends the target; the text keeps its own line breaks.
    target, text = (*args.split(maxsplit=1), "", "")[:2]
    target, text = target.lower(), as_written(text)
    if not target or not text:
        raise InputError(USAGE)
    if target != ALL and kb.stage(target) is None:
        names = ", ".join([ALL, *(s.id for s in kb.stages)])
        raise InputError(f"'{target[:40]}' is not a stage; use one of: {names}")
    if len(text) > MAX_ANNOUNCEMENT_LENGTH:
        raise InputError(f"keep it under {MAX_ANNOUNCEMENT_LENGTH} characters")
    return (None if target == ALL else target), text


async def draft(store: Store, staff_id: int, args: str, kb: KnowledgeBase, now: datetime) -> Draft:
    """A broadcast awaiting confirmation; InputError if ``args`` do not say to whom and what."""
    stage, text = parse(args, kb)
    return await store.draft_broadcast(staff_id, stage, text, now)


async def finish(store: Store, now: datetime) -> list[BroadcastReport]:
    """Close finished broadcasts, each with its report queued to its sender."""
    return await store.finish_broadcasts(now, report_text)


async def release_announcements(store: Store, kb: KnowledgeBase, now: datetime) -> list[str]:
    """Queue every scheduled announcement that is due and was never queued before.

    Keyed by the announcement's id, so reloading the knowledge base, or editing an
    announcement's text after it went out, never sends it again.
    """
    due = [a for a in kb.announcements if a.at <= now]
    if not due:
        return []
    seen = await store.announced()
    released = []
    for announcement in (a for a in due if a.id not in seen):
        late = now - announcement.at > ANNOUNCEMENT_GRACE
        queued = await store.release_announcement(
            announcement.id, announcement.stage, announcement.text, now, skip=late
        )
        if queued is not None and not late:
            released.append(announcement.id)
    return released
