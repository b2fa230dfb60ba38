"""What staff read about knowledge base changes: problems, previews, versions."""

from __future__ import annotations

from pathlib import Path

from bot.kb_versions import Applied, Diff, Preview, Scores, Status
from bot.knowledge import Location, Problem
from bot.replies import kb as say
from bot.replies import plain
from bot.store import ApplyRefusal, KbVersion
from tests.conftest import NOW


def test_problems_are_listed_with_file_and_line_up_to_a_limit() -> None:
    problems = [Problem(Location(Path("topics.yaml"), n), f"bad <{n}>") for n in range(1, 20)]
    text = plain(say.refused(problems).text)
    assert text.startswith(
        "⚠️ Not applied: 19 problem(s). Nothing was changed.\ntopics.yaml:1: bad <1>"
    )
    assert text.endswith("… and 4 more")


def test_a_preview_with_its_figures_and_buttons() -> None:
    preview = Preview(
        7,
        "upload kb.zip",
        24,
        Diff(("office.ticket-1",), ("roles.alt",), (), 3),
        Scores(3, 4, ("q1",)),
        Scores(4, 4, ()),
    )
    reply = say.preview(preview)
    text = plain(reply.text)
    assert "Proposed change (upload kb.zip): valid, 24 topics." in text
    assert "Topics added: office.ticket-1\nTopics changed: roles.alt\nTopics removed: -" in text
    assert "Phrasings added: 3" in text
    assert "before 3/4, after 4/4." in text
    assert [[b.data for b in row] for row in reply.buttons] == [["ka:yes:7", "ka:no:7"]]


def test_a_preview_without_labelled_questions_says_where_they_come_from() -> None:
    empty = Scores(0, 0, ())
    text = plain(say.preview(Preview(1, "n", 5, Diff((), (), (), 0), empty, empty)).text)
    assert "No labelled questions are stored yet" in text
    assert "It changes no topic." in text


def test_outcomes() -> None:
    assert "version 3 is live (20 topics)" in plain(say.applied(Applied(3, 20, "x")).text)
    assert "/kb rollback 2" in plain(say.applied(Applied(3, 20, "x")).text)
    assert "Another version went live" in plain(say.apply_refused(ApplyRefusal.STALE).text)
    assert "already applied or cancelled" in plain(say.apply_refused(ApplyRefusal.DONE).text)


def test_status() -> None:
    versions = [KbVersion(2, "rollback", "rollback to version 0", 9, NOW)]
    text = plain(say.status(Status(2, True, 23, versions)).text)
    assert text.startswith("Knowledge base: version 2: the deployment's files, 23 topics.")
    assert "• 2 · Sun 10 Jan 2027 12:00 UTC · rollback by 9: rollback to version 0" in text
