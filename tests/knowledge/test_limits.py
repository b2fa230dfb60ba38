"""Knowledge files cannot exhaust memory or reach outside their directory."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import check_knowledge, load_knowledge
from bot.knowledge.nodes import MAX_FILE_BYTES
from tests.conftest import WriteKb, minimal_kb_files

BOMB = """\
topics:
  - id: bomb.topic
    title: Bomb
    answer: boom
    questions: &q0 [what is a very long question about the programme that repeats itself]
x1: &q1 [*q0, *q0, *q0, *q0, *q0, *q0, *q0, *q0, *q0, *q0]
x2: &q2 [*q1, *q1, *q1, *q1, *q1, *q1, *q1, *q1, *q1, *q1]
x3: &q3 [*q2, *q2, *q2, *q2, *q2, *q2, *q2, *q2, *q2, *q2]
x4: &q4 [*q3, *q3, *q3, *q3, *q3, *q3, *q3, *q3, *q3, *q3]
x5: &q5 [*q4, *q4, *q4, *q4, *q4, *q4, *q4, *q4, *q4, *q4]
"""


def test_an_alias_bomb_is_refused_at_once(write_kb: WriteKb) -> None:
    directory = write_kb({**minimal_kb_files(), "bomb.yaml": BOMB})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = check_knowledge(directory)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert [p.message for p in problems] == [
        "YAML anchors and aliases (&name, *name) are not allowed here"
    ]
    assert problems[0].location.path.name == "bomb.yaml"
    assert grown < 50_000, f"memory grew by {grown} KiB"


def test_a_single_alias_is_refused_too(write_kb: WriteKb) -> None:
    text = minimal_kb_files()["topics.yaml"].replace(
        "questions:\n      - what is a cir", "questions: &same\n      - what is a cir", 1
    )
    text += "\nsynonyms2: *same\n"
    problems = check_knowledge(write_kb({**minimal_kb_files(), "topics.yaml": text}))
    assert any("aliases" in p.message for p in problems)


def test_an_oversized_file_is_not_read(write_kb: WriteKb) -> None:
    huge = "# " + "x" * MAX_FILE_BYTES + "\n"
    problems = check_knowledge(write_kb({**minimal_kb_files(), "huge.yaml": huge}))
    assert len(problems) == 1
    assert "at most" in problems[0].message


def test_a_link_out_of_the_directory_is_not_read(write_kb: WriteKb, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("topics:\n  - id: leaked.topic\n    title: Leak\n    answer: secret\n"
                      "    questions: [leak]\n")  # fmt: skip
    directory = write_kb(minimal_kb_files())
    os.symlink(secret, directory / "linked.yaml")
    problems = check_knowledge(directory)
    assert [p.message for p in problems] == [
        "a link to a file outside the knowledge directory; not read"
    ]
    with pytest.raises(Exception, match="outside the knowledge directory"):
        load_knowledge(directory)


def test_a_link_inside_the_directory_is_fine(write_kb: WriteKb) -> None:
    directory = write_kb(minimal_kb_files())
    (directory / "more").mkdir()
    os.symlink(directory / "synonyms.yaml", directory / "more" / "same.yaml")
    problems = check_knowledge(directory)
    assert all("outside" not in p.message for p in problems)


def test_kb_check_prints_one_line_per_problem_and_caps_the_total(
    write_kb: WriteKb, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "topics:\n" + "".join(
        f"  - id: t{i}\n    title: T\n    answr: x\n    questions: [q{i}]\n" for i in range(300)
    )
    directory = write_kb({**minimal_kb_files(), "broken.yaml": broken})
    assert main(["kb", "check", str(directory)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 101
    assert lines[-1].startswith("… and ")
