from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.config import BUNDLED_KNOWLEDGE
from bot.yamlload import FastSafeLoader


def shape(node: yaml.Node) -> object:
    """A node tree as plain data, with each node's line, to compare two parsers."""
    line = node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        return (line, [(shape(k), shape(v)) for k, v in node.value])
    if isinstance(node, yaml.SequenceNode):
        return (line, [shape(item) for item in node.value])
    return (line, node.tag, node.value)


@pytest.mark.parametrize("path", sorted(BUNDLED_KNOWLEDGE.glob("*.yaml")), ids=lambda p: p.name)
def test_same_nodes_and_lines_as_the_pure_python_parser(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yaml.compose(text, Loader=FastSafeLoader)
    classic = yaml.compose(text, Loader=yaml.SafeLoader)
    assert fast is not None
    assert shape(fast) == shape(classic)


def test_uses_libyaml_when_available() -> None:
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(FastSafeLoader, yaml.CSafeLoader)


@pytest.mark.parametrize(
    "text",
    ["a: b: c\n", "items: [unclosed\nnext: 1\n", "x:\n\t- 1\n"],
)
def test_syntax_errors_read_as_the_pure_python_parser_words_them(text: str) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as classic:
        yaml.compose(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.MarkedYAMLError) as fast:
        yaml.compose(text, Loader=FastSafeLoader)
    assert fast.value.problem == classic.value.problem
    assert fast.value.problem_mark is not None
    assert classic.value.problem_mark is not None
    assert fast.value.problem_mark.line == classic.value.problem_mark.line
