"""The ``jetbot`` command line: its names, exit codes and JSON keys are a contract."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import BUNDLED_KNOWLEDGE

ASK_KEYS = {"question", "topic", "score", "answer", "suggestions"}


@pytest.fixture(autouse=True)
def bundled_knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JETBOT_KNOWLEDGE", str(BUNDLED_KNOWLEDGE))


def test_ask_json_answers_one_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "can I apply for both CIR and ALT?", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= ASK_KEYS
    assert result["question"] == "can I apply for both CIR and ALT?"
    assert result["topic"] == "positions.apply-both"
    assert 0 < result["score"] <= 100
    assert "not both" in result["answer"]
    assert result["suggestions"] == []


def test_ask_json_falls_back_with_topic_null(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what is sushi made of", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["topic"] is None
    assert "Embassy" in result["answer"]


def test_ask_reads_stdin_one_json_object_a_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("what is an ALT\n\nwhat does an ALT do\n"))
    assert main(["ask", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    results = [json.loads(line) for line in lines]
    assert [r["question"] for r in results] == ["what is an ALT", "what does an ALT do"]
    assert [r["topic"] for r in results] == ["positions.alt", "duties.alt"]


def test_kb_check_clean_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", str(BUNDLED_KNOWLEDGE)]) == 0
    assert "OK" in capsys.readouterr().out


def test_kb_check_reports_file_and_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, broken)
    path = broken / "positions.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip().startswith("answer:"))
    lines[number] = lines[number].replace("answer:", "anwser:")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["kb", "check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{number + 1}: " in out
    assert "unknown key 'anwser' (did you mean 'answer'?)" in out


def test_kb_check_yaml_syntax_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.yaml").write_text("topics:\n  - id: x\n    title: [unclosed\n")
    assert main(["kb", "check", str(tmp_path)]) == 1
    assert f"{tmp_path / 'bad.yaml'}:" in capsys.readouterr().out


def test_kb_eval_prints_rates_and_enforces_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        '- {q: "what is an ALT", topic: positions.alt}\n'
        '- {q: "what is sushi made of", topic: null}\n'
        '- {q: "what is an ALT", topic: duties.cir}\n'
    )
    assert main(["kb", "eval", str(questions)]) == 0
    out = capsys.readouterr().out
    assert "top-1:   50.0%  (1/2)" in out
    assert "(1/1)" in out
    assert "expected duties.cir, got positions.alt" in out
    assert main(["kb", "eval", str(questions), "--min-top1", "0.9"]) == 1


@pytest.mark.parametrize("floor", ["99", "1.5", "-0.1", "ninety"])
def test_kb_eval_floor_must_be_a_fraction(
    tmp_path: Path, floor: str, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text('- {q: "what is an ALT", topic: positions.alt}\n')
    with pytest.raises(SystemExit) as exit_:
        main(["kb", "eval", str(questions), "--min-top1", floor])
    assert exit_.value.code == 2
    assert "fraction from 0 to 1" in capsys.readouterr().err


def test_kb_eval_floor_over_nothing_fails_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text('- {q: "what is an ALT", topic: positions.alt}\n')
    assert main(["kb", "eval", str(questions)]) == 0
    assert "fallback on out-of-scope:     n/a  (none in this set)" in capsys.readouterr().out
    assert main(["kb", "eval", str(questions), "--min-fallback", "0.5", "--min-turns", "0"]) == 1
    err = capsys.readouterr().err
    assert "fallback: no out-of-scope questions to measure" in err
    assert "turns: no conversations to measure" in err


def test_kb_eval_names_a_topic_the_knowledge_base_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        '- {q: "what is an ALT", topic: positions.alt}\n- {q: "what is a CIR", topic: cir}\n'
    )
    conversations = tmp_path / "c.yaml"
    conversations.write_text(
        '- turns: [{q: "what is a CIR", topic: positions.cir}, {q: "and ALTs?", topic: alt}]\n'
    )
    assert main(["kb", "eval", str(questions)]) == 1
    assert "item 2: 'cir'" in capsys.readouterr().err
    assert main(["kb", "eval", str(conversations)]) == 1
    assert "conversation 1 turn 2: 'alt'" in capsys.readouterr().err


def test_kb_eval_rejects_a_malformed_question_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text("q: not a list\n")
    assert main(["kb", "eval", str(questions)]) == 1
    assert str(questions) in capsys.readouterr().err


def test_broken_knowledge_stops_ask_with_a_pointer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JETBOT_KNOWLEDGE", str(tmp_path))
    assert main(["ask", "hello"]) == 1
    assert "jetbot kb check" in capsys.readouterr().err


def test_chat_reads_stdin_and_answers() -> None:
    """The README's promise: printf 'can I apply for both CIR and ALT?\\n' | jetbot chat."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("jetbot")), "chat"],
        input="can I apply for both CIR and ALT?\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Applying for both CIR and ALT" in result.stdout
    assert "not both" in result.stdout
    assert "[1]" in result.stdout, "follow-up buttons are numbered"


def test_ask_json_lines_carry_a_conversation_per_chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        '{"chat": "a", "q": "what does a CIR do"}',
        '{"chat": "b", "q": "what is an ALT"}',
        '{"chat": "a", "q": "and ALTs?"}',
        '{"chat": 7, "q": "how much does a CIR earn?"}',
        "and ALTs?",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--json"]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in results][:3] == [
        "what does a CIR do",
        "what is an ALT",
        "and ALTs?",
    ]
    assert [r["topic"] for r in results[:3]] == ["duties.cir", "positions.alt", "duties.alt"]
    partial = results[3]
    assert (partial["outcome"], partial["topic"], partial["suggestions"]) == (
        "partial",
        None,
        ["positions.cir"],
    )
    assert results[4]["topic"] != "duties.alt", "a plain line stands on its own"
