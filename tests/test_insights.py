"""Staff insights: recorded questions, unanswered groups, votes and the statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import insights
from bot.insights import group_questions, purge_question_text, record_question, unanswered
from bot.knowledge import Topic, normalise_phrasing
from bot.matcher import Match, Outcome
from bot.store import SqlStore
from bot.store.db import to_epoch
from tests.conftest import NOW

ALT = Topic("roles.alt", "What an ALT is", ("what is an alt",), "An ALT helps teachers.")


def match(outcome: Outcome, score: float = 50.0, topic: Topic | None = None) -> Match:
    """A match as the matcher makes it: 'topic' for answers, 'best_guess' otherwise."""
    if outcome in (Outcome.ANSWER, Outcome.SMALLTALK):
        return Match(outcome, score, topic=topic, best_guess=topic)
    return Match(outcome, score, suggestions=(topic,) if topic else (), best_guess=topic)


async def question_rows(store: SqlStore) -> list[tuple[int, str, str | None, float, str | None]]:
    rows = await store.fetch(
        "SELECT asked_at, outcome, topic, score, text FROM questions ORDER BY id"
    )
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]


# -- record_question -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "kept"),
    [
        (Outcome.SUGGEST, True),
        (Outcome.FALLBACK, True),
        (Outcome.ANSWER, False),
        (Outcome.SMALLTALK, False),
    ],
)
async def test_text_is_kept_only_when_the_bot_could_not_answer(
    store: SqlStore, outcome: Outcome, kept: bool
) -> None:
    await record_question(store, "  What is an ALT?  ", match(outcome, 47.5, ALT), NOW)
    [row] = await question_rows(store)
    assert row == (
        to_epoch(NOW),
        outcome.value,
        "roles.alt",
        47.5,
        "What is an ALT?" if kept else None,
    )


async def test_fallback_without_a_guess_stores_no_topic(store: SqlStore) -> None:
    await record_question(store, "what is sushi", match(Outcome.FALLBACK, 12.0), NOW)
    assert await question_rows(store) == [(to_epoch(NOW), "fallback", None, 12.0, "what is sushi")]


async def test_blank_question_is_counted_without_text(store: SqlStore) -> None:
    await record_question(store, "   ", match(Outcome.FALLBACK, 0.0), NOW)
    [row] = await question_rows(store)
    assert row[1] == "fallback"
    assert row[4] is None


async def test_long_question_text_is_cut(store: SqlStore) -> None:
    await record_question(store, "x" * 2000, match(Outcome.FALLBACK), NOW)
    [row] = await question_rows(store)
    assert row[4] == "x" * insights.MAX_QUESTION_TEXT


async def test_no_user_id_is_stored_with_questions_or_votes(store: SqlStore) -> None:
    for table in ("questions", "feedback"):
        columns = {row["name"] for row in await store.fetch(f"PRAGMA table_info({table})")}
        assert not {"user_id", "chat_id", "user", "chat"} & columns, table
    questions = {row["name"] for row in await store.fetch("PRAGMA table_info(questions)")}
    assert questions == {"id", "asked_at", "outcome", "topic", "score", "text"}


async def test_one_vote_per_voter_and_answer(store: SqlStore) -> None:
    assert await store.record_vote("roles.alt", True, "1:1:10", NOW)
    assert not await store.record_vote("roles.alt", True, "1:1:10", NOW)
    assert not await store.record_vote("roles.alt", False, "1:1:10", NOW)
    assert await store.record_vote("roles.alt", False, "1:1:11", NOW)  # another answer
    assert await store.record_vote("roles.alt", True, "2:2:10", NOW)  # another user
    assert (await store.stats(NOW)).votes == [("roles.alt", 2, 1)]
    [ballot] = await store.fetch("SELECT ballot FROM feedback WHERE id = 1")
    assert "1:1:10" not in ballot[0]


# -- group_questions -------------------------------------------------------------------


def test_exact_repeats_differing_in_case_and_punctuation_count_together() -> None:
    [group] = group_questions(
        [
            ("How much is the salary?", None),
            ("how much is the salary", None),
            ("HOW MUCH IS THE SALARY!!", None),
        ]
    )
    assert group.count == 3
    assert group.text == "How much is the salary?"
    assert sum(group.wordings.values()) == 3


def test_similar_wordings_group_under_the_most_frequent() -> None:
    rows = [
        ("whats the salary?", "roles.alt"),
        ("what is the salary", None),
        ("What is the salary?", None),
    ]
    [group] = group_questions(rows)
    assert group.text == "what is the salary"
    assert group.count == 3
    assert group.wordings == {"what is the salary": 2, "whats the salary?": 1}


def test_reworded_question_joins_its_group() -> None:
    rows = [
        ("what is the salary", None),
        ("What is the salary?", None),
        ("whats the salary?", None),
        ("salary of an ALT?", None),
    ]
    groups = group_questions(rows)
    assert [(g.text, g.count) for g in groups] == [("what is the salary", 4)]


def test_dissimilar_questions_stay_apart_and_biggest_groups_come_first() -> None:
    rows = [
        ("can I bring my cat", None),
        ("when is the interview", "steps.interview"),
        ("When is the interview?", None),
        ("when is the interview", None),
        ("how do I apply", "steps.apply"),
        ("How do I apply?", None),
    ]
    groups = group_questions(rows)
    assert [(g.text, g.count) for g in groups] == [
        ("when is the interview", 3),
        ("how do I apply", 2),
        ("can I bring my cat", 1),
    ]
    assert [g.best_guess for g in groups] == ["steps.interview", "steps.apply", None]
    assert [g.count for g in groups] == sorted((g.count for g in groups), reverse=True)


@pytest.mark.parametrize("blank", ["", "   ", "?!", " ... "])
def test_empty_questions_are_ignored(blank: str) -> None:
    assert group_questions([(blank, None)]) == []
    [group] = group_questions([(blank, None), ("how do I apply", None)])
    assert (group.text, group.count) == ("how do I apply", 1)


def test_no_rows_no_groups() -> None:
    assert group_questions([]) == []


# -- unanswered (from the database) ------------------------------------------------------


async def test_unanswered_reads_the_recorded_questions(store: SqlStore) -> None:
    for minutes, (text, outcome) in enumerate(
        [
            ("when is the open day", Outcome.FALLBACK),
            ("When is the open day?", Outcome.SUGGEST),
            ("can I bring my cat", Outcome.FALLBACK),
            ("what is an ALT", Outcome.ANSWER),
            ("hello", Outcome.SMALLTALK),
        ]
    ):
        await record_question(
            store, text, match(outcome, topic=ALT), NOW + timedelta(minutes=minutes)
        )
    groups = await unanswered(store)
    assert [(normalise_phrasing(g.text), g.count, g.best_guess) for g in groups] == [
        ("when is the open day", 2, "roles.alt"),
        ("can i bring my cat", 1, "roles.alt"),
    ]
    assert await unanswered(store, limit=1) == groups[:1]


async def test_unanswered_is_empty_on_a_fresh_database(store: SqlStore) -> None:
    assert await unanswered(store) == []


# -- purge_question_text ---------------------------------------------------------------


async def test_purge_clears_old_text_but_keeps_the_rows(store: SqlStore) -> None:
    await record_question(store, "old question", match(Outcome.FALLBACK), NOW - timedelta(days=31))
    await record_question(
        store, "recent question", match(Outcome.SUGGEST), NOW - timedelta(days=29)
    )
    await record_question(
        store, "answered", match(Outcome.ANSWER, topic=ALT), NOW - timedelta(days=40)
    )
    assert await purge_question_text(store, NOW, 30) == 1
    rows = await question_rows(store)
    assert [row[4] for row in rows] == [None, "recent question", None]
    assert len(rows) == 3
    assert [g.text for g in await unanswered(store)] == ["recent question"]
    assert await purge_question_text(store, NOW, 30) == 0


async def test_purged_questions_still_count_in_stats(store: SqlStore) -> None:
    for days in (1, 2, 3):
        await record_question(
            store, f"question {days}", match(Outcome.FALLBACK), NOW - timedelta(days=days)
        )
    before = await store.stats(NOW)
    assert await purge_question_text(store, NOW, 1) == 2
    after = await store.stats(NOW)
    assert after == before
    assert after.questions_7d == 3
    assert after.outcomes_7d == {"fallback": 3}
