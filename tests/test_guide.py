"""Guided commands in the core: the steps, what they keep, and dates read in the right zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dates import AmbiguousDate, When
from bot.guide import Guide, when_data, when_from
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.replies import plain
from bot.store import SqlStore, User
from bot.timeparse import InputError, split_when
from bot.tracking import DIALOG_LIFETIME, Tracker
from tests.conftest import Clock, WriteKb, kb_files_with_stages
from tests.test_tracking import STAGES

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def kb(write_kb: WriteKb) -> KnowledgeBase:
    return load_knowledge(write_kb(kb_files_with_stages(STAGES)))


@pytest.fixture
def guide(store: SqlStore, clock: Clock) -> Guide:
    return Guide(Tracker(store, ZoneInfo("UTC"), clock=clock))


async def user(store: SqlStore, zone: str | None = None) -> User:
    await store.touch_user(1, 101, NOW)
    if zone is not None:
        await store.set_timezone(1, zone)
    found = await store.get_user(1)
    assert found is not None
    return found


async def step(store: SqlStore) -> tuple[str, str, dict[str, object]] | None:
    dialog = await store.load_dialog(1)
    return (dialog.command, dialog.step, json.loads(dialog.data)) if dialog else None


def test_a_when_survives_the_store_as_json() -> None:
    when = When(utc(2027, 2, 14, 9, 0), datetime(2027, 2, 14, 9, 0), False, True)  # noqa: DTZ001
    assert when_from(json.loads(json.dumps(when_data(when)))) == when


# -- the zone first ----------------------------------------------------------------------


async def test_a_dated_reminder_without_a_zone_asks_the_zone_and_keeps_the_command(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store)
    question = await guide.remind(me, "tomorrow 9am Call", "en-GB")
    assert "which time zone are you in?" in question.text
    assert "gz:Europe/London" in {b.data for row in question.buttons for b in row}
    assert await step(store) == ("remind", "zone", {"args": "tomorrow 9am Call"})
    assert await store.user_reminders(1) == []
    done = await guide.answer(1, kb, "Tokyo", "en-GB")
    assert done is not None
    assert "Reminder #1 set for Mon 11 Jan 2027, 09:00 (Asia/Tokyo, UTC+09:00)" in plain(done.text)
    assert await step(store) is None


async def test_a_relative_reminder_needs_no_zone(store: SqlStore, guide: Guide) -> None:
    me = await user(store)
    done = await guide.remind(me, "in 90 minutes Call", None)
    assert "Reminder #1 set for Sun 10 Jan 2027, 13:30 (UTC" in done.text


@pytest.mark.parametrize(
    ("args", "expected"),
    [("31 Feb Call", "not a real date"), ("2 Jan 2027 Call", "in the past")],
)
async def test_mistakes_no_zone_can_fix_are_told_at_once(
    store: SqlStore, guide: Guide, args: str, expected: str
) -> None:
    me = await user(store)
    with pytest.raises(InputError, match=expected):
        await guide.remind(me, args, None)
    assert await step(store) is None


async def test_a_time_past_in_utc_but_ahead_in_the_users_zone_asks_the_zone(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    # 10:00 today has passed in UTC (it is 12:00) but not in New York (07:00).
    me = await user(store)
    question = await guide.remind(me, "today 10:00 Call", None)
    assert "which time zone" in question.text
    done = await guide.answer(1, kb, "New York", None)
    assert done is not None
    assert "Sun 10 Jan 2027, 10:00 (America/New_York, UTC-05:00)" in done.text


async def test_a_stage_date_without_a_zone_asks_the_zone_then_sets_it(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store)
    await guide.stage(me, kb, "interview 14 Feb 10:30", None)
    assert await step(store) == ("stage", "zone", {"args": "interview 14 Feb 10:30"})
    done = await guide.choose_zone(me, kb, "Australia/Sydney", None)
    assert "on Sun 14 Feb 2027, 10:30 (Australia/Sydney, UTC+11:00)" in done.text
    stored = await store.get_user(1)
    assert stored is not None
    assert (stored.stage, stored.stage_at) == ("interview", utc(2027, 2, 13, 23, 30))


# -- steps ---------------------------------------------------------------------------------


async def test_remind_alone_then_when_then_text(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store, "Europe/London")
    await guide.remind(me, "", None)
    assert await step(store) == ("remind", "when", {})
    asked = await guide.remind_when(me, "tomorrow", None)
    assert "What should I remind you of on Mon 11 Jan 2027, 09:00" in asked.text
    done = await guide.answer(1, kb, "Pack", None)
    assert done is not None
    assert "Reminder #1 set" in done.text


async def test_an_ambiguous_stage_date_asks_and_the_pick_sets_it(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store, "Europe/London")
    question = await guide.stage(me, kb, "interview 03/04/2027 10:30", None)
    labels = [b.label for row in question.buttons for b in row]
    assert labels == [
        "Sat 3 Apr 2027, 10:30 (Europe/London, UTC+01:00)",
        "Thu 4 Mar 2027, 10:30 (Europe/London, UTC+00:00)",
    ]
    done = await guide.pick_reading(me, kb, 1, None)
    assert "on Thu 4 Mar 2027, 10:30 (Europe/London, UTC+00:00)" in done.text
    with pytest.raises(InputError, match="closed"):
        await guide.pick_reading(me, kb, 0, None)


async def test_an_ambiguous_date_can_be_typed_again(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store, "Europe/London")
    await guide.remind(me, "03/04/2027 Call the embassy", None)
    done = await guide.answer(1, kb, "3 April 2027", None)
    assert done is not None
    assert "Sat 3 Apr 2027, 09:00" in done.text
    assert "Call the embassy" in done.text


async def test_answer_without_a_step_is_none_and_a_question_ends_a_date_step(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store, "Europe/London")
    assert await guide.answer(1, kb, "hello", None) is None
    await guide.stage(me, kb, "interview", None)
    assert await guide.answer(1, kb, "what happens there?", None) is None
    assert await step(store) is None


async def test_a_reminder_text_may_end_with_a_question_mark(
    store: SqlStore, guide: Guide, kb: KnowledgeBase
) -> None:
    me = await user(store, "Europe/London")
    await guide.remind(me, "tomorrow 9am", None)
    done = await guide.answer(1, kb, "Did I pay the fee?", None)
    assert done is not None
    assert "Did I pay the fee?" in done.text


async def test_a_step_expires(
    store: SqlStore, guide: Guide, kb: KnowledgeBase, clock: Clock
) -> None:
    me = await user(store, "Europe/London")
    await guide.remind(me, "", None)
    clock.now = NOW + DIALOG_LIFETIME + timedelta(seconds=1)
    assert await guide.answer(1, kb, "tomorrow 9am", None) is None
    assert await step(store) is None


async def test_cancel_rule(store: SqlStore, guide: Guide) -> None:
    me = await user(store, "Europe/London")
    await guide.remind(me, "in 1 hour Call", None)
    assert (await guide.cancel(me, "")).text.startswith("Nothing to cancel.")
    await guide.remind(me, "", None)
    kept = await guide.cancel(me, "1")
    assert "Reminder #1 is untouched" in kept.text
    assert len(await store.user_reminders(1)) == 1
    assert (await guide.cancel(me, "1")).text.startswith("Cancelled reminder #1")
    assert "Which one?" in (await guide.cancel(me, "abc")).text


# -- dates across daylight saving, in both hemispheres --------------------------------------


@pytest.mark.parametrize(
    ("zone", "args"),
    [
        ("Europe/London", "28 Mar 2027 1:30 Call"),  # the clocks skip 01:00-02:00
        ("Australia/Sydney", "3 Oct 2027 2:30 Call"),  # the clocks skip 02:00-03:00
    ],
)
async def test_a_time_in_a_dst_gap_is_refused(
    store: SqlStore, guide: Guide, zone: str, args: str
) -> None:
    me = await user(store, zone)
    with pytest.raises(InputError, match="clocks skip it"):
        await guide.remind(me, args, None)
    assert await store.user_reminders(1) == []


@pytest.mark.parametrize(
    ("zone", "args", "shown"),
    [
        # Clocks go back: 01:30 happens twice; the first is taken, still on summer time.
        (
            "Europe/London",
            "31 Oct 2027 1:30 Call",
            "Sun 31 Oct 2027, 01:30 (Europe/London, UTC+01:00)",
        ),
        (
            "Australia/Sydney",
            "4 Apr 2027 2:30 Call",
            "Sun 4 Apr 2027, 02:30 (Australia/Sydney, UTC+11:00)",
        ),
        # Either side of a change, the offset shown is the one in force then.
        (
            "Australia/Sydney",
            "5 Apr 2027 9am Call",
            "Mon 5 Apr 2027, 09:00 (Australia/Sydney, UTC+10:00)",
        ),
        (
            "Europe/London",
            "29 Mar 2027 9am Call",
            "Mon 29 Mar 2027, 09:00 (Europe/London, UTC+01:00)",
        ),
    ],
)
async def test_confirmations_show_the_offset_in_force(
    store: SqlStore, guide: Guide, zone: str, args: str, shown: str
) -> None:
    me = await user(store, zone)
    done = await guide.remind(me, args, None)
    assert shown in done.text


def test_ambiguous_date_carries_its_readings() -> None:
    with pytest.raises(AmbiguousDate) as raised:
        split_when("03/04/2027 Call", NOW, LONDON)
    assert [r.at for r in raised.value.readings] == [utc(2027, 4, 3, 8, 0), utc(2027, 3, 4, 9, 0)]
    assert raised.value.rest == "Call"
