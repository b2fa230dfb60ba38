"""Staff insights: recorded questions, unanswered groups, votes and the statistics."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import insights
from bot.evaluation import LabelledQuestion, load_questions
from bot.insights import (
    Group,
    format_stats,
    format_unanswered,
    group_questions,
    purge_question_text,
    record_question,
    record_vote,
    stats,
    unanswered,
    unanswered_yaml,
)
from bot.knowledge import Topic, normalise_phrasing
from bot.matcher import Match, Outcome
from bot.storage import Kind, NewReminder, Storage, to_epoch
from tests.conftest import NOW

ALT = Topic("roles.alt", "What an ALT is", ("what is an alt",), "An ALT helps teachers.")
CIR = Topic("roles.cir", "What a CIR is", ("what is a cir",), "A CIR works in an office.")


def match(outcome: Outcome, score: float = 50.0, topic: Topic | None = None) -> Match:
    """A match as the matcher makes it: 'topic' for answers, 'best_guess' otherwise."""
    if outcome in (Outcome.ANSWER, Outcome.SMALLTALK):
        return Match(outcome, score, topic=topic, best_guess=topic)
    return Match(outcome, score, suggestions=(topic,) if topic else (), best_guess=topic)


async def question_rows(storage: Storage) -> list[tuple[int, str, str | None, float, str | None]]:
    rows = await storage.fetch(
        "SELECT asked_at, outcome, topic, score, text FROM questions ORDER BY id"
    )
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows]


async def add_user(
    storage: Storage,
    user_id: int,
    stage: str | None = None,
    seen: timedelta = timedelta(0),
    active: bool = True,
) -> None:
    await storage.touch_user(user_id, user_id, NOW - seen)
    if stage is not None:
        await storage.set_stage(user_id, stage, None, None, [], NOW)
    if not active:
        await storage.mark_inactive(user_id)


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
    storage: Storage, outcome: Outcome, kept: bool
) -> None:
    await record_question(storage, "  What is an ALT?  ", match(outcome, 47.5, ALT), NOW)
    [row] = await question_rows(storage)
    assert row == (
        to_epoch(NOW),
        outcome.value,
        "roles.alt",
        47.5,
        "What is an ALT?" if kept else None,
    )


async def test_fallback_without_a_guess_stores_no_topic(storage: Storage) -> None:
    await record_question(storage, "what is sushi", match(Outcome.FALLBACK, 12.0), NOW)
    assert await question_rows(storage) == [
        (to_epoch(NOW), "fallback", None, 12.0, "what is sushi")
    ]


async def test_blank_question_is_counted_without_text(storage: Storage) -> None:
    await record_question(storage, "   ", match(Outcome.FALLBACK, 0.0), NOW)
    [row] = await question_rows(storage)
    assert row[1] == "fallback"
    assert row[4] is None


async def test_long_question_text_is_cut(storage: Storage) -> None:
    await record_question(storage, "x" * 2000, match(Outcome.FALLBACK), NOW)
    [row] = await question_rows(storage)
    assert row[4] == "x" * insights.MAX_QUESTION_TEXT


async def test_no_user_id_is_stored_with_questions_or_votes(storage: Storage) -> None:
    for table in ("questions", "feedback"):
        columns = {row["name"] for row in await storage.fetch(f"PRAGMA table_info({table})")}
        assert not {"user_id", "chat_id", "user", "chat"} & columns, table
    questions = {row["name"] for row in await storage.fetch("PRAGMA table_info(questions)")}
    assert questions == {"id", "asked_at", "outcome", "topic", "score", "text"}


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


async def test_unanswered_reads_the_recorded_questions(storage: Storage) -> None:
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
            storage, text, match(outcome, topic=ALT), NOW + timedelta(minutes=minutes)
        )
    groups = await unanswered(storage)
    assert [(normalise_phrasing(g.text), g.count, g.best_guess) for g in groups] == [
        ("when is the open day", 2, "roles.alt"),
        ("can i bring my cat", 1, "roles.alt"),
    ]
    assert await unanswered(storage, limit=1) == groups[:1]


async def test_unanswered_is_empty_on_a_fresh_database(storage: Storage) -> None:
    assert await unanswered(storage) == []


# -- purge_question_text ---------------------------------------------------------------


async def test_purge_clears_old_text_but_keeps_the_rows(storage: Storage) -> None:
    await record_question(
        storage, "old question", match(Outcome.FALLBACK), NOW - timedelta(days=31)
    )
    await record_question(
        storage, "recent question", match(Outcome.SUGGEST), NOW - timedelta(days=29)
    )
    await record_question(
        storage, "answered", match(Outcome.ANSWER, topic=ALT), NOW - timedelta(days=40)
    )
    assert await purge_question_text(storage, NOW, 30) == 1
    rows = await question_rows(storage)
    assert [row[4] for row in rows] == [None, "recent question", None]
    assert len(rows) == 3
    assert [g.text for g in await unanswered(storage)] == ["recent question"]
    assert await purge_question_text(storage, NOW, 30) == 0


async def test_purged_questions_still_count_in_stats(storage: Storage) -> None:
    for days in (1, 2, 3):
        await record_question(
            storage, f"question {days}", match(Outcome.FALLBACK), NOW - timedelta(days=days)
        )
    before = await stats(storage, NOW)
    assert await purge_question_text(storage, NOW, 1) == 2
    after = await stats(storage, NOW)
    assert after == before
    assert after.questions_7d == 3
    assert after.outcomes_7d == {"fallback": 3}


# -- votes -----------------------------------------------------------------------------


async def test_votes_are_counted_per_topic(storage: Storage) -> None:
    for topic, helpful in [
        ("roles.alt", True),
        ("roles.alt", True),
        ("roles.alt", False),
        ("roles.cir", False),
    ]:
        await record_vote(storage, topic, helpful, NOW)
    result = await stats(storage, NOW)
    assert result.votes == [("roles.alt", 2, 1), ("roles.cir", 0, 1)]
    assert "Helpful votes: roles.alt 67% of 3, roles.cir 0% of 1" in format_stats(result)


# -- stats -----------------------------------------------------------------------------


async def seed(storage: Storage) -> None:
    await add_user(storage, 1, stage="interview")
    await add_user(storage, 2, stage="interview", seen=timedelta(days=3))
    await add_user(storage, 3, stage="apply", seen=timedelta(days=10))
    await add_user(storage, 4, seen=timedelta(days=8), active=False)
    await add_user(storage, 5, stage="interview", seen=timedelta(days=1), active=False)
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
        await record_question(storage, "q", match(outcome, topic=topic), NOW - ago)
    due = NOW + timedelta(days=1)
    ids = await storage.add_reminders(
        [NewReminder(user, user, "note", due, "UTC") for user in (1, 1, 2, 3)]
        + [NewReminder(1, 1, "announcement", due, "UTC", kind=Kind.BROADCAST)]
        + [NewReminder(1, 1, "report", due, "UTC", kind=Kind.NOTICE)],
        NOW,
    )
    await storage.db.execute("UPDATE reminders SET status = 'sent' WHERE id = ?", (ids[1],))
    await storage.db.execute("UPDATE reminders SET status = 'failed' WHERE id = ?", (ids[2],))
    await storage.db.execute("UPDATE reminders SET status = 'sent' WHERE kind != 'reminder'")


async def test_stats_figures(storage: Storage) -> None:
    await seed(storage)
    result = await stats(storage, NOW)
    assert (result.users, result.active_7d, result.blocked) == (5, 3, 2)
    assert result.per_stage[0] == ("interview", 3)
    assert sorted(result.per_stage) == [("(not set)", 1), ("apply", 1), ("interview", 3)]
    assert (result.questions_24h, result.questions_7d) == (3, 7)
    assert result.outcomes_7d == {"answer": 4, "suggest": 1, "fallback": 1, "smalltalk": 1}
    assert result.top_topics_7d == [("roles.alt", 3), ("roles.cir", 1)]
    # The broadcast and the notice (both sent) are not the users' reminders.
    assert result.reminders == {"pending": 2, "sent": 1, "failed": 1}
    assert result.votes == []


async def test_stats_count_only_the_users_own_reminders(storage: Storage) -> None:
    await add_user(storage, 1)
    due = NOW + timedelta(days=1)
    await storage.add_reminders(
        [
            NewReminder(1, 1, "mine", due, "UTC"),
            NewReminder(1, 1, "broadcast", due, "UTC", kind=Kind.BROADCAST, broadcast_id=1),
            NewReminder(1, 1, "notice", due, "UTC", kind=Kind.NOTICE),
        ],
        NOW,
    )
    assert (await stats(storage, NOW)).reminders == {"pending": 1}


async def test_stats_paused_reminders_of_users_who_blocked_the_bot(storage: Storage) -> None:
    await add_user(storage, 1)
    await storage.add_reminders([NewReminder(1, 1, "mine", NOW + timedelta(days=1), "UTC")], NOW)
    await storage.mark_inactive(1)
    result = await stats(storage, NOW)
    assert result.reminders == {"paused": 1}
    assert "Reminders: pending 0, sent 0, failed 0, paused 1" in format_stats(result)


async def test_stats_on_an_empty_database(storage: Storage) -> None:
    result = await stats(storage, NOW)
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


async def test_format_stats_mentions_the_figures(storage: Storage) -> None:
    await seed(storage)
    lines = format_stats(await stats(storage, NOW)).splitlines()
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


# -- format_unanswered --------------------------------------------------------------------


def test_format_unanswered_lists_counts_variants_and_guesses() -> None:
    groups = group_questions(
        [
            ("when is the open day", "contact.more-info"),
            ("when is the open day?", None),
            ("whens the open day", None),
            ("when's the open day", None),
            ("can I bring my cat", None),
        ]
    )
    text = format_unanswered(groups)
    lines = text.splitlines()
    assert lines[0] == "Most frequent unanswered questions (similar wordings grouped):"
    assert lines[1] == (
        "1. [4] when is the open day (+2 similar wordings) — best guess contact.more-info"
    )
    assert lines[2] == "2. [1] can I bring my cat"


def test_format_unanswered_one_variant_is_singular() -> None:
    [group] = group_questions(
        [("what is the salary", None), ("whats the salary", None), ("what is the salary", None)]
    )
    assert format_unanswered([group]) == (
        "Most frequent unanswered questions (similar wordings grouped):\n"
        "1. [3] what is the salary (+1 similar wording)"
    )


def test_format_unanswered_when_there_are_none() -> None:
    assert format_unanswered([]) == "No unanswered questions recorded."


# -- unanswered_yaml ----------------------------------------------------------------------

AWKWARD = [
    'what does "JET" stand for?',
    "visa: which one do I need",
    "is #1 priority the interview",
    "JETプログラムの給料はいくらですか",
    "- a leading dash",
    "yes",
    "null",
    "it's {braced} [and] bracketed & *starred*",
    "back\\slash",
]


def test_unanswered_yaml_loads_as_a_question_list(tmp_path: Path) -> None:
    groups = [Group(text, count=len(AWKWARD) - i) for i, text in enumerate(AWKWARD)]
    groups[0].best_guess = "programme.overview"
    path = tmp_path / "unanswered.yaml"
    path.write_text(unanswered_yaml(groups), encoding="utf-8")
    assert load_questions(path) == [LabelledQuestion(text, None) for text in AWKWARD]
    text = path.read_text(encoding="utf-8")
    assert "JETプログラム" in text  # readable, not \u escapes
    assert "best guess: programme.overview" in text
    assert "jetbot kb eval" in text


def test_unanswered_yaml_of_grouped_rows(tmp_path: Path) -> None:
    groups = group_questions(
        [("how much: is it?", None), ("How much: is it", None), ("can I bring my cat", None)]
    )
    path = tmp_path / "unanswered.yaml"
    path.write_text(unanswered_yaml(groups), encoding="utf-8")
    assert load_questions(path) == [
        LabelledQuestion("how much: is it?", None),
        LabelledQuestion("can I bring my cat", None),
    ]
    assert "# asked 2 time(s); best guess: -" in path.read_text(encoding="utf-8")


def test_unanswered_yaml_with_no_groups_is_an_empty_list(tmp_path: Path) -> None:
    path = tmp_path / "unanswered.yaml"
    path.write_text(unanswered_yaml([]), encoding="utf-8")
    assert load_questions(path) == []


@pytest.mark.parametrize("odd", ["\x7f", "\x85", "\x9f"], ids=["DEL", "NEL", "C1"])
def test_unanswered_yaml_keeps_control_characters_loadable(tmp_path: Path, odd: str) -> None:
    # One stray control character must not make the whole file unreadable for
    # jetbot kb eval; it carries no meaning, so it becomes a space.
    groups = [Group("what is the salary", 2), Group(f"pasted{odd}text", 1)]
    path = tmp_path / "unanswered.yaml"
    path.write_text(unanswered_yaml(groups), encoding="utf-8")
    assert load_questions(path) == [
        LabelledQuestion("what is the salary", None),
        LabelledQuestion("pasted text", None),
    ]
