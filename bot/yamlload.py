"""A YAML loader with libyaml's speed and the pure-Python parser's error messages.

Composing the knowledge files with the pure-Python SafeLoader is most of the
start-up time of ``jetbot ask``; libyaml (CSafeLoader) is ~15 times faster and
gives the same nodes and line numbers. Its syntax error messages are worded
differently, though, and staff read those ("file:line: what is wrong"), so a file
libyaml rejects is parsed again with the pure-Python parser for the message.
"""

from __future__ import annotations

from typing import Any

import yaml


class _FastSafeLoader(yaml.CSafeLoader):
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._source = stream

    def get_single_node(self) -> yaml.Node | None:
        try:
            node: yaml.Node | None = super().get_single_node()
        except yaml.YAMLError:
            # Rare (a broken file): the classic parser raises the familiar message.
            classic = yaml.SafeLoader(self._source)
            try:
                node = classic.get_single_node()
            finally:
                classic.dispose()
        return node


FastSafeLoader: type = _FastSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
