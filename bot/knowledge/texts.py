"""A knowledge base from files held in memory: a stored version, or an upload.

The same validator as for a directory; every problem names the file by its path
within the knowledge base ("topics.yaml:12: ...").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.knowledge.loader import Loader
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.nodes import SUFFIXES

ROOT = Path("knowledge")  # where problems of the whole knowledge base are reported


class TextLoader(Loader):
    def __init__(self, texts: Mapping[str, str]) -> None:
        super().__init__(ROOT)
        self.texts = texts

    def files(self) -> list[Path]:
        return [Path(name) for name in sorted(self.texts) if name.endswith(SUFFIXES)]

    def read_file(self, path: Path) -> yaml.Node | None:
        return self.compose(path, self.texts[path.as_posix()])


def load_texts(texts: Mapping[str, str]) -> KnowledgeBase:
    """Validate and load ``{relative path: YAML text}``; KnowledgeBaseError on any problem."""
    return TextLoader(texts).load()
