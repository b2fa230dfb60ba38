"""What the last answer was about, kept per chat between messages (as a small JSON dict)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

CONTEXT_FIELDS = ("topic", "question", "subject", "position", "stage")
# Silence after which "and ALTs?" no longer refers to what was said before.
MEMORY = timedelta(minutes=30)
MAX_CONTEXT_TEXT = 300


@dataclass(frozen=True, slots=True)
class Context:
    """What the last answer was about, kept per chat between messages.

    ``question`` is the question as understood ("where do cir work" for "where
    do they work"); ``subject`` the analysed term it was about ("cir", "jet",
    "interview"); ``position`` that term when it names a position family member;
    ``stage`` the selection stage whose topic was answered.
    """

    topic: str
    question: str
    subject: str | None = None
    position: str | None = None
    stage: str | None = None

    def to_dict(self) -> dict[str, str]:
        """A small JSON-ready dict: only the fields that are set."""
        values = {name: getattr(self, name) for name in CONTEXT_FIELDS}
        return {name: value for name, value in values.items() if value is not None}

    @classmethod
    def from_dict(cls, data: object) -> Context | None:
        """The Context a dict holds, or None for anything malformed (stored data ages)."""
        if not isinstance(data, Mapping):
            return None
        values = {name: data.get(name) for name in CONTEXT_FIELDS}
        if not all(value is None or isinstance(value, str) for value in values.values()):
            return None
        topic, question = values["topic"], values["question"]
        if not topic or not question:
            return None
        return cls(
            topic=topic,
            question=question[:MAX_CONTEXT_TEXT],
            subject=values["subject"] or None,
            position=values["position"] or None,
            stage=values["stage"] or None,
        )
