from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge import (
    KnowledgeBase,
    Problem,
    StageReminder,
    check_knowledge,
    load_knowledge,
)
from bot.tracking import reminder_text
from tests.conftest import WriteKb, kb_files_with_stages

# The first reminder's "- " is on line 6.
HEAD = """\
stages:
  - id: interview
    title: Interview
    topic: steps.interview
    reminders:
"""


def with_reminders(write_kb: WriteKb, reminders: str) -> Path:
    return write_kb(kb_files_with_stages(HEAD + reminders))


def only_problem(directory: Path) -> Problem:
    problems = check_knowledge(directory)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_at(problem: Problem, line: int) -> None:
    assert (problem.location.path.name, problem.location.line) == ("stages.yaml", line), str(
        problem
    )
    assert str(problem).startswith(f"{problem.location.path}:{line}: stage 'interview': ")


# -- valid reminders ---------------------------------------------------------------------


def test_valid_reminders_load(write_kb: WriteKb) -> None:
    directory = with_reminders(
        write_kb,
        """\
      - before: 7 days
        text: "One week to go: {stage} on {date} at {time} ({zone})."
      - before: 1 day
        at: "18:00"
        text: Tomorrow!
      - before: 48 hours
        at: 9:30
        text: In two days.
      - before: 1h30m
        text: "Soon: {time}"
""",
    )
    kb = load_knowledge(directory)
    stage = kb.stage("interview")
    assert stage is not None
    assert stage.reminders == (
        StageReminder(timedelta(days=7), "One week to go: {stage} on {date} at {time} ({zone})."),
        StageReminder(timedelta(days=1), "Tomorrow!", time(18, 0)),
        StageReminder(timedelta(days=2), "In two days.", time(9, 30)),
        StageReminder(timedelta(hours=1, minutes=30), "Soon: {time}"),
    )


def test_unquoted_at_is_read_as_a_clock_time(write_kb: WriteKb) -> None:
    # YAML 1.1 would read 18:00 as the sexagesimal number 1080.
    directory = with_reminders(
        write_kb, "      - before: 1 day\n        at: 18:00\n        text: x\n"
    )
    stage = load_knowledge(directory).stage("interview")
    assert stage is not None
    assert stage.reminders[0].at == time(18, 0)


def test_stage_without_reminders(write_kb: WriteKb) -> None:
    kb = load_knowledge(write_kb(kb_files_with_stages(HEAD.replace("    reminders:\n", ""))))
    stage = kb.stage("interview")
    assert stage is not None
    assert stage.reminders == ()


def test_empty_reminders_list(write_kb: WriteKb) -> None:
    stages = HEAD.replace("    reminders:\n", "    reminders: []\n")
    kb = load_knowledge(write_kb(kb_files_with_stages(stages)))
    stage = kb.stage("interview")
    assert stage is not None
    assert stage.reminders == ()


def test_text_of_exactly_1000_characters(write_kb: WriteKb) -> None:
    text = "x" * 1000
    directory = with_reminders(write_kb, f"      - before: 1 day\n        text: {text}\n")
    stage = load_knowledge(directory).stage("interview")
    assert stage is not None
    assert stage.reminders[0].text == text


# -- problems, each at its file and line ---------------------------------------------------


@pytest.mark.parametrize(
    ("reminders", "line", "message"),
    [
        (
            "      - before: 1 day\n        text: hi\n        when: 18:00\n",
            8,
            "reminder: unknown key 'when'; allowed: before, at, text",
        ),
        (
            "      - text: hi\n",
            6,
            "reminder: missing required field 'before'",
        ),
        (
            "      - before: 1 day\n",
            6,
            "reminder: missing required field 'text'",
        ),
        (
            "      - before: soon\n        text: hi\n",
            6,
            "reminder: 'soon' is not a duration; write e.g. 90 minutes",
        ),
        (
            "      - before: 3 fortnights\n        text: hi\n",
            6,
            "reminder: unknown unit 'fortnights'",
        ),
        (
            "      - before: 0 days\n        text: hi\n",
            6,
            "reminder: the duration must be more than zero",
        ),
        (
            "      - before: 1 day\n        at: '25:00'\n        text: hi\n",
            6,
            "reminder: '25:00' is not a time of day; write it as HH:MM",
        ),
        (
            "      - before: 1 day\n        at: 6pm\n        text: hi\n",
            6,
            "reminder: '6pm' is not a time of day",
        ),
        (
            "      - before: 2 hours\n        at: '18:00'\n        text: hi\n",
            7,
            "reminder: 'at' needs 'before' in whole days",
        ),
        (
            "      - before: 36 hours\n        at: '18:00'\n        text: hi\n",
            7,
            "reminder: 'at' needs 'before' in whole days",
        ),
        (
            "      - before: 1 day\n        text: 'Go to {place} on {date}'\n",
            7,
            "reminder: unknown placeholder {place}; use {stage}, {date}, {time}, {zone}",
        ),
        (
            "      - before: 1 day\n        text: 'Bring {0}'\n",
            7,
            "reminder: unknown placeholder {0}",
        ),
        (
            "      - before: 1 day\n        text: 'Half { open'\n",
            7,
            "reminder: unknown placeholder",
        ),
        (
            "      - before: 1 day\n        text: " + "x" * 1001 + "\n",
            7,
            "reminder: text over 1000 characters",
        ),
        (
            "      - before: 1 day\n        text: ''\n",
            7,
            "reminder 'text' is empty",
        ),
        (
            "      - 1 day\n",
            6,
            "reminder must be a mapping of keys to values",
        ),
    ],
)
def test_reminder_problem(write_kb: WriteKb, reminders: str, line: int, message: str) -> None:
    problem = only_problem(with_reminders(write_kb, reminders))
    assert_at(problem, line)
    assert message in problem.message


def test_unknown_key_suggests_and_reports_missing_field(write_kb: WriteKb) -> None:
    directory = with_reminders(write_kb, "      - before: 1 day\n        txt: hi\n")
    problems = check_knowledge(directory)
    assert [(p.location.path.name, p.location.line) for p in problems] == [
        ("stages.yaml", 7),
        ("stages.yaml", 6),
    ]
    assert "unknown key 'txt' (did you mean 'text'?)" in problems[0].message
    assert "missing required field 'text'" in problems[1].message


def test_reminders_must_be_a_list(write_kb: WriteKb) -> None:
    problem = only_problem(with_reminders(write_kb, "      before: 1 day\n      text: hi\n"))
    assert_at(problem, 5)
    assert "'reminders' must be a list" in problem.message


def test_every_bad_reminder_is_reported(write_kb: WriteKb) -> None:
    directory = with_reminders(
        write_kb,
        """\
      - before: soon
        text: a
      - before: 1 day
        text: fine
      - before: 2 hours
        at: "18:00"
        text: b
""",
    )
    problems = check_knowledge(directory)
    assert [p.location.line for p in problems] == [6, 11]


@pytest.mark.parametrize("text", ["Bring {} to the interview", "On {date:%d %b}"])
def test_text_that_cannot_be_filled_in_is_refused(write_kb: WriteKb, text: str) -> None:
    # Such a text passes the check today and then fails when a user sets the stage's date.
    directory = with_reminders(write_kb, f"      - before: 1 day\n        text: '{text}'\n")
    problem = only_problem(directory)
    assert_at(problem, 7)


# -- the shipped knowledge base ------------------------------------------------------------


def test_shipped_stages_each_have_reminders(shipped_kb: KnowledgeBase) -> None:
    assert len(shipped_kb.stages) == 6
    for stage in shipped_kb.stages:
        assert stage.reminders, stage.id
        assert all(isinstance(r, StageReminder) for r in stage.reminders)


def test_shipped_reminders_fill_in(shipped_kb: KnowledgeBase) -> None:
    stage_at = datetime(2027, 2, 14, 1, 30, tzinfo=UTC)
    zone = ZoneInfo("Asia/Tokyo")
    for stage in shipped_kb.stages:
        for reminder in stage.reminders:
            assert reminder.before > timedelta(0)
            if reminder.at is not None:
                assert reminder.before % timedelta(days=1) == timedelta(0)
            text = reminder_text(reminder, stage, stage_at, zone)
            assert "{" not in text
            assert len(text) <= 1000
