"""The knowledge base's ``announcements:`` section: validation with file and line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.knowledge import (
    MAX_ANNOUNCEMENT_LENGTH,
    Announcement,
    Problem,
    check_knowledge,
    load_knowledge,
)
from tests.conftest import WriteKb, minimal_kb_files


def with_announcements(write_kb: WriteKb, text: str) -> Path:
    return write_kb({**minimal_kb_files(), "announcements.yaml": text})


def line_of(directory: Path, marker: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of announcements.yaml containing marker."""
    lines = (directory / "announcements.yaml").read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if marker in line]
    return found[occurrence - 1]


def only_problem(directory: Path) -> Problem:
    problems = check_knowledge(directory)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_problem(directory: Path, line: int, message: str) -> None:
    problem = only_problem(directory)
    assert (problem.location.path, problem.location.line) == (
        directory / "announcements.yaml",
        line,
    ), str(problem)
    assert message in problem.message, str(problem)
    assert str(problem).startswith(f"{directory / 'announcements.yaml'}:{line}: ")


# -- valid announcements ------------------------------------------------------------------


def test_valid_announcements_load_in_utc(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        """\
        announcements:
          - id: info-session-2027
            at: "2027-02-01 09:00"
            timezone: Asia/Tokyo
            stage: interview
            text: The online information session starts in one hour.
          - id: results.day_2
            at: 2027-03-01 18:30
            text: |
              Results are out.
              Check your email.
          - id: "2027"
            at: "2027-07-01 10:00"
            timezone: europe/london
            text: Summer.
        """,
    )
    kb = load_knowledge(directory)
    assert kb.announcements == (
        Announcement(
            "info-session-2027",
            datetime(2027, 2, 1, 0, 0, tzinfo=UTC),
            "The online information session starts in one hour.",
            "interview",
        ),
        Announcement(
            "results.day_2",
            datetime(2027, 3, 1, 18, 30, tzinfo=UTC),
            "Results are out.\nCheck your email.",
        ),
        Announcement("2027", datetime(2027, 7, 1, 9, 0, tzinfo=UTC), "Summer."),
    )
    assert all(a.at.utcoffset().total_seconds() == 0 for a in kb.announcements)


def test_no_announcements_section_means_none(write_kb: WriteKb) -> None:
    assert load_knowledge(write_kb(minimal_kb_files())).announcements == ()


def test_announcements_may_be_split_over_files(write_kb: WriteKb) -> None:
    one = 'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n    text: A\n'
    two = 'announcements:\n  - id: b\n    at: "2027-02-02 09:00"\n    text: B\n'
    directory = write_kb({**minimal_kb_files(), "a.yaml": one, "b.yaml": two})
    assert [a.id for a in load_knowledge(directory).announcements] == ["a", "b"]


def test_text_of_the_maximum_length_is_fine(write_kb: WriteKb) -> None:
    text = "x" * MAX_ANNOUNCEMENT_LENGTH
    directory = with_announcements(
        write_kb, f'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n    text: {text}\n'
    )
    [announcement] = load_knowledge(directory).announcements
    assert announcement.text == text


# -- problems ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "field", "marker"),
    [
        ('    at: "2027-02-01 09:00"\n    text: Hi\n', "id", 'at: "2027'),
        ("    id: a\n    text: Hi\n", "at", "id: a"),
        ('    id: a\n    at: "2027-02-01 09:00"\n', "text", "id: a"),
    ],
)
def test_missing_required_field(write_kb: WriteKb, entry: str, field: str, marker: str) -> None:
    directory = with_announcements(write_kb, "announcements:\n  - " + entry.lstrip())
    assert_problem(
        directory, line_of(directory, marker), f"announcement: missing required field '{field}'"
    )


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("2027-02-30 09:00", "2027-02-30 09:00 is not a real date or time"),
        ("2027-02-01 25:00", "2027-02-01 25:00 is not a real date or time"),
        ("tomorrow", "'tomorrow"),
        ("2027-02-01", "is not a date and time; write YYYY-MM-DD HH:MM"),
        ("01/02/2027 09:00", "'01/02/2027 09:00' is not a date and time"),
        ("2027-03-28 01:30", "2027-03-28 01:30 does not exist in Europe/London"),
    ],
)
def test_bad_date(write_kb: WriteKb, at: str, message: str) -> None:
    directory = with_announcements(
        write_kb,
        f'announcements:\n  - id: a\n    timezone: Europe/London\n    at: "{at}"\n    text: Hi\n',
    )
    assert_problem(directory, line_of(directory, "at:"), message)
    assert only_problem(directory).message.startswith("announcement 'a': ")


def test_empty_date(write_kb: WriteKb) -> None:
    directory = with_announcements(write_kb, "announcements:\n  - id: a\n    at:\n    text: Hi\n")
    assert_problem(directory, line_of(directory, "at:"), "announcement 'at' is empty")


def test_unknown_timezone_names_the_zone(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n'
        "    timezone: Asia/Tokio\n    text: Hi\n",
    )
    problem = only_problem(directory)
    assert problem.location.path == directory / "announcements.yaml"
    assert "announcement 'a': 'Asia/Tokio' is not a time zone I know" in problem.message


def test_unknown_timezone_points_at_the_timezone_line(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n'
        "    timezone: Asia/Tokio\n    text: Hi\n",
    )
    assert_problem(
        directory, line_of(directory, "timezone:"), "'Asia/Tokio' is not a time zone I know"
    )


def test_unknown_stage_with_a_suggestion(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n'
        "    stage: intervew\n    text: Hi\n",
    )
    assert_problem(
        directory,
        line_of(directory, "stage:"),
        "announcement 'a': stage 'intervew' does not exist (did you mean 'interview'?)",
    )


def test_unknown_stage_without_a_close_match(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n'
        "    stage: departure\n    text: Hi\n",
    )
    problem = only_problem(directory)
    assert problem.message == "announcement 'a': stage 'departure' does not exist"


def test_duplicate_id(write_kb: WriteKb) -> None:
    entry = '  - id: open-day\n    at: "2027-02-01 09:00"\n    text: Hi\n'
    directory = with_announcements(write_kb, "announcements:\n" + entry + entry)
    first = line_of(directory, "id: open-day", 1)
    second = line_of(directory, "id: open-day", 2)
    path = directory / "announcements.yaml"
    assert_problem(
        directory, second, f"duplicate announcement id 'open-day' (first at {path}:{first})"
    )


def test_duplicate_id_points_at_the_first_announcement(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        'announcements:\n  - id: open-day\n    at: "2027-02-01 09:00"\n'
        "    stage: interview\n    text: Hi\n"
        '  - id: open-day\n    at: "2027-02-02 09:00"\n    text: Again\n',
    )
    first = line_of(directory, "id: open-day", 1)
    second = line_of(directory, "id: open-day", 2)
    path = directory / "announcements.yaml"
    assert_problem(
        directory, second, f"duplicate announcement id 'open-day' (first at {path}:{first})"
    )


def test_duplicate_id_across_files(write_kb: WriteKb) -> None:
    entry = 'announcements:\n  - id: open-day\n    at: "2027-02-01 09:00"\n    text: Hi\n'
    directory = write_kb({**minimal_kb_files(), "a.yaml": entry, "b.yaml": entry})
    problem = only_problem(directory)
    assert (problem.location.path.name, problem.location.line) == ("b.yaml", 2)
    assert f"(first at {directory / 'a.yaml'}:2)" in problem.message


def test_text_too_long(write_kb: WriteKb) -> None:
    text = "x" * (MAX_ANNOUNCEMENT_LENGTH + 1)
    directory = with_announcements(
        write_kb, f'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n    text: {text}\n'
    )
    assert_problem(
        directory,
        line_of(directory, "text:"),
        f"announcement 'a': text over {MAX_ANNOUNCEMENT_LENGTH} characters",
    )


@pytest.mark.parametrize(("key", "suggestion"), [("when", ""), ("stages", "stage")])
def test_unknown_key(write_kb: WriteKb, key: str, suggestion: str) -> None:
    directory = with_announcements(
        write_kb,
        f'announcements:\n  - id: a\n    at: "2027-02-01 09:00"\n    {key}: x\n    text: Hi\n',
    )
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    assert_problem(
        directory,
        line_of(directory, f"{key}:"),
        f"announcement: unknown key '{key}'{hint}; allowed: id, at, timezone, stage, text",
    )


@pytest.mark.parametrize("ident", ["Open-Day", "open day", "-open", "open/day"])
def test_bad_id(write_kb: WriteKb, ident: str) -> None:
    directory = with_announcements(
        write_kb, f'announcements:\n  - id: "{ident}"\n    at: "2027-02-01 09:00"\n    text: Hi\n'
    )
    assert_problem(
        directory, line_of(directory, "id:"), f"announcement '{ident}': id must be lowercase"
    )


@pytest.mark.parametrize("field", ["id", "text", "timezone", "stage"])
def test_empty_field(write_kb: WriteKb, field: str) -> None:
    values = {"id": "a", "at": '"2027-02-01 09:00"', "text": "Hi", field: '""'}
    entry = "\n".join(f"    {key}: {value}" for key, value in values.items())
    directory = with_announcements(write_kb, "announcements:\n  - " + entry.lstrip() + "\n")
    assert_problem(directory, line_of(directory, f"{field}:"), f"announcement '{field}' is empty")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("announcements:\n  id: a\n", "'announcements' must be a list"),
        ("announcements: soon\n", "'announcements' must be a list"),
        ("announcements:\n  - just text\n", "announcement must be a mapping"),
    ],
)
def test_wrong_shape(write_kb: WriteKb, text: str, message: str) -> None:
    directory = with_announcements(write_kb, text)
    problem = only_problem(directory)
    assert problem.location.path == directory / "announcements.yaml"
    assert problem.location.line >= 1
    assert message in problem.message


def test_every_problem_is_reported_at_once(write_kb: WriteKb) -> None:
    directory = with_announcements(
        write_kb,
        """\
        announcements:
          - id: a
            at: "2027-02-30 09:00"
            text: Hi
          - id: b
            at: "2027-02-01 09:00"
            stage: intervew
            text: Hi
          - text: no id
            at: "2027-02-01 09:00"
        """,
    )
    lines = sorted(p.location.line for p in check_knowledge(directory))
    assert lines == [3, 7, 9]
