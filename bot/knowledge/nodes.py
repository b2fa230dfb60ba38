"""Reading YAML as a node tree, so that every problem names its file and line.

``safe_load`` would lose the lines and silently collapse duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import process

from bot.knowledge.model import Location
from bot.yamlload import FastSafeLoader


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the knowledge base, at a file and line."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge directory has one or more problems; none of it was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def peek_id(node: yaml.Node) -> str | None:
    """A mapping's 'id' value, read early so that every message about it can name it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode) and value.value:
                return str(value.value)
    return None


def suggest(word: str, choices: tuple[str, ...]) -> str:
    best = process.extractOne(word, choices, score_cutoff=70)
    return f" (did you mean '{best[0]}'?)" if best else ""


# Bounds of a knowledge base, wherever its files come from (a directory, an upload).
MAX_FILE_BYTES = 1 << 20
MAX_FILES = 200
SUFFIXES = (".yaml", ".yml")


def one_line(text: str) -> str:
    return " ".join(text.split())


def reused_node(root: yaml.Node) -> yaml.Node | None:
    """A node that appears twice in the tree (an alias), if any; each node is seen once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    return None


class NodeReader:
    """Reads nodes of one file at a time and collects every problem it meets."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.path = Path()

    # -- reporting ---------------------------------------------------------

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1)

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.where(node), message))

    def problem_at(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, message))

    # -- generic node readers ------------------------------------------------

    def read_file(self, path: Path) -> yaml.Node | None:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.problem_at(
                    Location(path, 0),
                    f"file is {size:,} bytes; knowledge files are at most {MAX_FILE_BYTES:,}",
                )
                return None
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problem_at(Location(path, 0), f"cannot read file: {error}")
            return None
        return self.compose(path, text)

    def compose(self, path: Path, text: str) -> yaml.Node | None:
        """The file's node tree; None (and a problem at its line) when it is not YAML."""
        try:
            root: yaml.Node | None = yaml.compose(text, Loader=FastSafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else 0
            reason = error.problem or error.context or "invalid YAML"
            self.problem_at(Location(path, line), f"YAML syntax error: {reason}")
            return None
        except yaml.YAMLError as error:
            self.problem_at(Location(path, 0), f"YAML error: {one_line(str(error))}")
            return None
        if root is not None and (repeated := reused_node(root)) is not None:
            # An alias repeats a node wherever it is used: a few lines can stand for
            # millions of phrasings. Knowledge files write everything out.
            self.problem(repeated, "YAML anchors and aliases (&name, *name) are not allowed here")
            return None
        return root

    def mapping(
        self, node: yaml.Node, what: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries by key, reporting unknown and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in entries:
                self.problem(key_node, f"{what}: key '{key}' appears twice")
            elif key not in allowed:
                self.problem(
                    key_node,
                    f"{what}: unknown key '{key}'{suggest(key, allowed)}; "
                    f"allowed: {', '.join(allowed)}",
                )
            else:
                entries[key] = (key_node, value_node)
        return entries

    def text(self, key_node: yaml.Node, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.problem(key_node, f"{what} must be text")
            return None
        value = str(node.value).strip()
        if not value or node.tag == "tag:yaml.org,2002:null":
            self.problem(key_node, f"{what} is empty")
            return None
        return value

    def text_list(
        self, key_node: yaml.Node, node: yaml.Node, what: str
    ) -> list[tuple[str, yaml.Node]]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(key_node, f"{what} must be a list")
            return []
        items = []
        for item in node.value:
            value = self.text(item, item, f"an entry of {what}")
            if value is not None:
                items.append((value, item))
        return items
