"""/calendar's file, read back with icalendar: the right instants, alarms and stable UIDs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from bot.account import Account
from bot.config import Settings
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.store import SqlStore, User
from bot.tracking import Tracker
from tests.conftest import Clock, WriteKb, kb_files_with_stages
from tests.test_tracking import STAGES


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def kb(write_kb: WriteKb) -> KnowledgeBase:
    return load_knowledge(write_kb(kb_files_with_stages(STAGES)))


@pytest.fixture
def tracker(store: SqlStore, clock: Clock) -> Tracker:
    return Tracker(store, ZoneInfo("UTC"), clock=clock)


@pytest.fixture
def account(tracker: Tracker) -> Account:
    return Account(tracker, Settings(knowledge=Path("knowledge"), database=Path(":memory:")))


async def make_user(store: SqlStore, zone: str) -> User:
    await store.touch_user(1, 101, utc(2027, 1, 10, 12, 0))
    await store.set_timezone(1, zone)
    found = await store.get_user(1)
    assert found is not None
    return found


async def events(account: Account, me: User, kb: KnowledgeBase) -> dict[str, Event]:
    export = await account.calendar(me, kb)
    assert export.file is not None
    assert export.name.endswith(".ics")
    calendar = Calendar.from_ical(export.file)
    assert str(calendar["VERSION"]) == "2.0"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def test_nothing_to_export(store: SqlStore, account: Account, kb: KnowledgeBase) -> None:
    me = await make_user(store, "Europe/London")
    export = await account.calendar(me, kb)
    assert export.file is None
    assert "nothing to put in a calendar" in export.reply.text


async def test_stage_and_reminders_at_the_right_instants(
    store: SqlStore, tracker: Tracker, account: Account, kb: KnowledgeBase
) -> None:
    # Sydney is on summer time (UTC+11) in February.
    me = await make_user(store, "Australia/Sydney")
    await tracker.set_stage(me, kb, "interview", ["14", "Feb", "10:30"])
    own = await tracker.remind(me, "1 Feb 9am Book the train")
    found = await events(account, me, kb)
    assert set(found) == {"stage-interview-1@jetbot", f"reminder-{own.number}-1@jetbot"}
    stage = found["stage-interview-1@jetbot"]
    assert stage.decoded("DTSTART") == utc(2027, 2, 13, 23, 30)
    assert stage.decoded("DURATION") == timedelta(hours=1)
    assert str(stage["SUMMARY"]) == "JET: Interview"
    # The stage's default reminders are its alarms, at their own instants.
    triggers = [alarm.decoded("TRIGGER") for alarm in stage.walk("VALARM")]
    assert triggers == [
        utc(2027, 2, 6, 23, 30),  # a week before, 10:30 Sydney time
        utc(2027, 2, 13, 7, 0),  # the day before at 18:00 Sydney time
        utc(2027, 2, 13, 21, 30),  # two hours before
    ]
    assert all(str(a["ACTION"]) == "DISPLAY" for a in stage.walk("VALARM"))
    reminder = found[f"reminder-{own.number}-1@jetbot"]
    assert reminder.decoded("DTSTART") == utc(2027, 1, 31, 22, 0)
    assert str(reminder["SUMMARY"]) == "Book the train"
    [alarm] = reminder.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(0)


async def test_uids_stay_and_sequence_grows_across_changes(
    store: SqlStore, tracker: Tracker, account: Account, kb: KnowledgeBase, clock: Clock
) -> None:
    me = await make_user(store, "Asia/Tokyo")
    await tracker.set_stage(me, kb, "interview", ["2027-02-14", "09:30"])
    await tracker.remind(me, "2027-02-01 09:00 Book the train")
    first = await events(account, me, kb)
    clock.now += timedelta(minutes=5)
    await tracker.set_timezone(me, kb, "Europe/London")
    second = await events(account, me, kb)
    assert set(first) == set(second)  # re-importing updates the same events
    uid = "reminder-4-1@jetbot"
    assert second[uid].decoded("DTSTART") == utc(2027, 2, 1, 9, 0)  # 09:00 London now
    assert int(second[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])


async def test_a_cancelled_reminder_leaves_the_file(
    store: SqlStore, tracker: Tracker, account: Account, kb: KnowledgeBase
) -> None:
    me = await make_user(store, "Europe/London")
    kept = await tracker.remind(me, "in 2 hours Keep")
    gone = await tracker.remind(me, "in 3 hours Gone")
    await tracker.cancel_number(me, gone.shown)
    assert set(await events(account, me, kb)) == {f"reminder-{kept.number}-1@jetbot"}
