"""/settings and /privacy in the core."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.account import Account
from bot.config import Settings
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.store import SqlStore
from bot.tracking import Tracker
from tests.conftest import Clock, WriteKb, kb_files_with_stages
from tests.test_tracking import STAGES


@pytest.fixture
def kb(write_kb: WriteKb) -> KnowledgeBase:
    return load_knowledge(write_kb(kb_files_with_stages(STAGES)))


def account_for(store: SqlStore, clock: Clock, **settings: object) -> Account:
    tracker = Tracker(store, ZoneInfo("UTC"), clock=clock)
    configured = Settings(knowledge=Path("k"), database=Path(":memory:"), **settings)  # type: ignore[arg-type]
    return Account(tracker, configured)


async def test_settings_show_the_zone_and_switch(
    store: SqlStore, clock: Clock, kb: KnowledgeBase
) -> None:
    account = account_for(store, clock)
    me = (await store.touch_user(1, 101, datetime(2027, 1, 10, tzinfo=UTC))).user
    shown = await account.settings_reply(me)
    assert "UTC (UTC+00:00, now 12:00) — not chosen yet" in shown.text
    assert [b.data for row in shown.buttons for b in row] == ["scz:", "sdr:off"]
    switched = await account.switch_defaults(me, kb, False)
    assert "Default reminders for your stage: off" in switched.text
    assert [b.data for row in switched.buttons for b in row] == ["scz:", "sdr:on"]


def test_privacy_names_the_configured_operator_and_retention(
    store: SqlStore, clock: Clock
) -> None:
    account = account_for(store, clock, operator="JETAA Ruritania", retention_days=30)
    text = account.privacy().text
    assert "run by JETAA Ruritania." in text
    assert "deleted after 30 days" in text
    assert "/mydata" in text
    assert "/forget" in text
