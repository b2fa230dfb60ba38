"""Regular expressions compiled on first use.

The language analysis holds some sixty patterns; compiling them all when a module
is imported would add to the start-up of every command, most of which never read
a message. A LazyPattern behaves like the compiled pattern for the methods used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator


class LazyPattern:
    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self._source

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(string, pos)

    def match(self, string: str) -> re.Match[str] | None:
        return self.compiled.match(string)

    def fullmatch(self, string: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(string)

    def findall(self, string: str) -> list[str]:
        found: list[str] = self.compiled.findall(string)
        return found

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string)

    def split(self, string: str) -> list[str]:
        return self.compiled.split(string)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count=count)


def lazy(source: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(source, flags)
