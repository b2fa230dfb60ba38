"""What staff read: the statistics and unanswered questions, as text and as YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import LabelledQuestion, load_questions
from bot.insights import Group, group_questions
from bot.replies.staff import format_unanswered, unanswered_yaml

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


# -- the help desk's figures --------------------------------------------------------------


@pytest.mark.parametrize(
    ("median", "shown"),
    [(None, "-"), (600.0, "10 min"), (3 * 3600.0, "3 h"), (3 * 86400.0, "3.0 days")],
)
def test_stats_show_tickets_and_start_sources(median: float | None, shown: str) -> None:
    from bot.replies.staff import format_stats
    from bot.store import Stats, TicketFigures

    stats = Stats(0, 0, 0, [], 0, 0, {}, [], [], {}, TicketFigures(4, 3, median), [("fair", 2)])
    text = format_stats(stats)
    assert f"Tickets: 4 opened, 3 answered; median time to a first answer {shown}" in text
    assert "Came through /start links: fair 2" in text
