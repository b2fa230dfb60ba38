"""What staff read from the store: votes (one per voter and answer) and the statistics."""

from __future__ import annotations

from datetime import timedelta

from bot.insights import record_question
from bot.knowledge import Topic
from bot.matcher import Match, Outcome
from bot.replies.staff import format_stats
from bot.store import Kind, NewReminder, SqlStore
from tests.conftest import NOW

ALT = Topic("roles.alt", "What an ALT is", ("what is an alt",), "An ALT helps teachers.")
CIR = Topic("roles.cir", "What a CIR is", ("what is a cir",), "A CIR works in an office.")


def match(outcome: Outcome, score: float = 50.0, topic: Topic | None = None) -> Match:
    """A match as the matcher makes it: 'topic' for answers, 'best_guess' otherwise."""
    if outcome in (Outcome.ANSWER, Outcome.SMALLTALK):
        return Match(outcome, score, topic=topic, best_guess=topic)
    return Match(outcome, score, suggestions=(topic,) if topic else (), best_guess=topic)


async def add_user(
    store: SqlStore,
    user_id: int,
    stage: str | None = None,
    seen: timedelta = timedelta(0),
    active: bool = True,
) -> None:
    await store.touch_user(user_id, user_id, NOW - seen)
    if stage is not None:
        await store.set_stage(user_id, stage, None, None, [], NOW)
    if not active:
        await store.mark_inactive(user_id)


# -- votes -----------------------------------------------------------------------------


async def test_votes_are_counted_per_topic(store: SqlStore) -> None:
    votes = [("roles.alt", True), ("roles.alt", True), ("roles.alt", False), ("roles.cir", False)]
    for voter, (topic, helpful) in enumerate(votes):
        assert await store.record_vote(topic, helpful, f"user-{voter}:chat:message", NOW)
    result = await store.stats(NOW)
    assert result.votes == [("roles.alt", 2, 1), ("roles.cir", 0, 1)]
    assert "Helpful votes: roles.alt 67% of 3, roles.cir 0% of 1" in format_stats(result)


# -- stats -----------------------------------------------------------------------------


async def seed(store: SqlStore) -> None:
    await add_user(store, 1, stage="interview")
    await add_user(store, 2, stage="interview", seen=timedelta(days=3))
    await add_user(store, 3, stage="apply", seen=timedelta(days=10))
    await add_user(store, 4, seen=timedelta(days=8), active=False)
    await add_user(store, 5, stage="interview", seen=timedelta(days=1), active=False)
    asked = [
        (timedelta(hours=1), Outcome.ANSWER, ALT),
        (timedelta(hours=2), Outcome.ANSWER, ALT),
        (timedelta(hours=3), Outcome.ANSWER, CIR),
        (timedelta(days=2), Outcome.ANSWER, ALT),
        (timedelta(days=2), Outcome.SUGGEST, CIR),
        (timedelta(days=3), Outcome.FALLBACK, None),
        (timedelta(days=6), Outcome.SMALLTALK, None),
        (timedelta(days=8), Outcome.ANSWER, CIR),
        (timedelta(days=30), Outcome.FALLBACK, None),
    ]
    for ago, outcome, topic in asked:
        await record_question(store, "q", match(outcome, topic=topic), NOW - ago)
    due = NOW + timedelta(days=1)
    ids = await store.add_reminders(
        [NewReminder(user, user, "note", due, "UTC") for user in (1, 1, 2, 3)]
        + [NewReminder(1, 1, "announcement", due, "UTC", kind=Kind.BROADCAST)]
        + [NewReminder(1, 1, "report", due, "UTC", kind=Kind.NOTICE)],
        NOW,
    )
    async with store.db.transaction() as db:
        await db.execute("UPDATE reminders SET status = 'sent' WHERE id = ?", (ids[1],))
        await db.execute("UPDATE reminders SET status = 'failed' WHERE id = ?", (ids[2],))
        await db.execute("UPDATE reminders SET status = 'sent' WHERE kind != 'reminder'")


async def test_stats_figures(store: SqlStore) -> None:
    await seed(store)
    result = await store.stats(NOW)
    assert (result.users, result.active_7d, result.blocked) == (5, 3, 2)
    assert result.per_stage[0] == ("interview", 3)
    assert sorted(result.per_stage) == [("(not set)", 1), ("apply", 1), ("interview", 3)]
    assert (result.questions_24h, result.questions_7d) == (3, 7)
    assert result.outcomes_7d == {"answer": 4, "suggest": 1, "fallback": 1, "smalltalk": 1}
    assert result.top_topics_7d == [("roles.alt", 3), ("roles.cir", 1)]
    # The broadcast and the notice (both sent) are not the users' reminders.
    assert result.reminders == {"pending": 2, "sent": 1, "failed": 1}
    assert result.votes == []


async def test_stats_count_only_the_users_own_reminders(store: SqlStore) -> None:
    await add_user(store, 1)
    due = NOW + timedelta(days=1)
    await store.add_reminders(
        [
            NewReminder(1, 1, "mine", due, "UTC"),
            NewReminder(1, 1, "broadcast", due, "UTC", kind=Kind.BROADCAST, broadcast_id=1),
            NewReminder(1, 1, "notice", due, "UTC", kind=Kind.NOTICE),
        ],
        NOW,
    )
    assert (await store.stats(NOW)).reminders == {"pending": 1}


async def test_stats_paused_reminders_of_users_who_blocked_the_bot(store: SqlStore) -> None:
    await add_user(store, 1)
    await store.add_reminders([NewReminder(1, 1, "mine", NOW + timedelta(days=1), "UTC")], NOW)
    await store.mark_inactive(1)
    result = await store.stats(NOW)
    assert result.reminders == {"paused": 1}
    assert "Reminders: pending 0, sent 0, failed 0, paused 1" in format_stats(result)


async def test_stats_on_an_empty_database(store: SqlStore) -> None:
    result = await store.stats(NOW)
    assert (result.users, result.active_7d, result.blocked) == (0, 0, 0)
    assert result.per_stage == []
    assert (result.questions_24h, result.questions_7d) == (0, 0)
    assert result.outcomes_7d == {}
    assert result.top_topics_7d == []
    assert result.votes == []
    assert result.reminders == {}
    text = format_stats(result)
    assert "Users: 0 total, 0 active in 7 days, 0 blocked the bot" in text
    assert "Users per stage: -" in text
    assert "answered -" in text
    assert "Top topics (7 days): -" in text
    assert "Helpful votes: -" in text
    assert "Reminders: pending 0, sent 0, failed 0" in text
    assert "paused" not in text


async def test_format_stats_mentions_the_figures(store: SqlStore) -> None:
    await seed(store)
    lines = format_stats(await store.stats(NOW)).splitlines()
    assert lines[0] == "Users: 5 total, 3 active in 7 days, 2 blocked the bot"
    assert lines[1].startswith("Users per stage: interview 3, ")
    assert "apply 1" in lines[1]
    assert "(not set) 1" in lines[1]
    assert lines[2] == "Questions: 3 in 24 h, 7 in 7 days"
    assert lines[3] == (
        "Last 7 days: answered 57%, did you mean 14%, fallback 14%, small talk 14%"
    )
    assert lines[4] == "Top topics (7 days): roles.alt 3, roles.cir 1"
    assert lines[6] == "Reminders: pending 2, sent 1, failed 1"
