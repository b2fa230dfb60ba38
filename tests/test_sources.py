"""/start <source> deep links: checked, then counted without anyone's id."""

from __future__ import annotations

import pytest

from bot.recorder import Recorder
from bot.sources import count_start, start_source
from bot.store import SqlStore
from tests.conftest import NOW


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("/start poster2027", "poster2027"),
        ("/start@jet_bot fair_2027-a", "fair_2027-a"),
        ("/start", None),
        ("/start two words", None),
        ("/start bad.source", None),
        ("/start " + "x" * 65, None),
        ("/start émigré", None),
        ("/stage poster", None),
    ],
)
def test_sources(text: str, source: str | None) -> None:
    assert start_source(text) == source


async def test_counted_in_the_background(store: SqlStore) -> None:
    recorder = Recorder()
    recorder.start()
    try:
        assert count_start(store, recorder, "/start poster2027", NOW)
        assert not count_start(store, recorder, "/start bad!", NOW)
        await recorder.queue.join()
    finally:
        await recorder.stop()
    assert await store.start_sources() == [("poster2027", 1)]
