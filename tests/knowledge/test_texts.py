"""A knowledge base from files in memory: the same checks, problems named by path."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBaseError
from bot.knowledge.texts import load_texts
from tests.conftest import minimal_kb_files


def test_the_same_knowledge_base_as_from_a_directory() -> None:
    kb = load_texts(minimal_kb_files())
    assert set(kb.topics) >= {"roles.alt", "roles.cir", "steps.apply"}
    location = kb.topics["roles.alt"].location
    assert location is not None
    assert str(location) == "topics.yaml:10"


def test_problems_name_the_file_by_its_path_and_line() -> None:
    files = minimal_kb_files()
    files["extra/more.yaml"] = "topics:\n  - id: extra.one\n    title: One\n    anwser: x\n"
    with pytest.raises(KnowledgeBaseError) as caught:
        load_texts(files)
    shown = [str(p) for p in caught.value.problems]
    assert any(
        line.startswith("extra/more.yaml:4: topic 'extra.one': unknown key 'anwser'")
        for line in shown
    )


def test_only_yaml_files_count_and_messages_are_required() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_texts(
            {"README.md": "# not knowledge", "topics.yaml": minimal_kb_files()["topics.yaml"]}
        )
    assert any("no file defines the message 'welcome'" in str(p) for p in caught.value.problems)
