from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import show
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.push import Pusher
from bot.replies import Reply
from bot.store import Reminder, SqlStore, Status, User
from bot.timeparse import InputError
from bot.tracking import Tracker
from tests.conftest import Clock, WriteKb, kb_files_with_stages

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")

STAGES = """\
stages:
  - id: apply
    title: Application
    topic: steps.apply
    reminders:
      - before: 1 day
        at: "18:00"
        text: "Tomorrow: your {stage} on {date} at {time} ({zone})."
  - id: interview
    title: Interview
    topic: steps.interview
    reminders:
      - before: 7 days
        text: "One week to go: {stage} on {date} at {time} ({zone})."
      - before: 1 day
        at: "18:00"
        text: "Your {stage} is tomorrow at {time} ({zone})."
      - before: 2 hours
        text: "In two hours: {stage} at {time} ({zone})."
  - id: results
    title: Results
    topic: steps.interview
"""


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def kb(write_kb: WriteKb) -> KnowledgeBase:
    return load_knowledge(write_kb(kb_files_with_stages(STAGES)))


@pytest.fixture
def tracker(store: SqlStore, clock: Clock) -> Tracker:
    return Tracker(store, LONDON, clock=clock)


@pytest.fixture
def changes(tracker: Tracker) -> list[str]:
    calls: list[str] = []
    tracker.listeners.append(lambda: calls.append("changed"))
    return calls


async def make_user(store: SqlStore, zone: str | None = None, user_id: int = 1) -> User:
    await store.touch_user(user_id, user_id + 100, NOW)
    if zone is not None:
        await store.set_timezone(user_id, zone)
    user = await store.get_user(user_id)
    assert user is not None
    return user


async def user_state(store: SqlStore, user_id: int = 1) -> tuple[User | None, list[Reminder]]:
    return await store.get_user(user_id), await store.user_reminders(user_id, list(Status))


def times(reminders: list[Reminder]) -> list[datetime]:
    return [r.due_at for r in reminders]


# -- /remind ----------------------------------------------------------------------------


async def test_remind_relative_is_stored(
    store: SqlStore, tracker: Tracker, changes: list[str]
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    reminder = await tracker.remind(user, "in 90 minutes Call the embassy")
    assert await store.get_reminder(reminder.id) == reminder
    assert await store.user_reminders(1) == [reminder]
    assert (reminder.text, reminder.due_at, reminder.run_at) == (
        "Call the embassy",
        NOW + timedelta(minutes=90),
        NOW + timedelta(minutes=90),
    )
    assert (reminder.local_time, reminder.timezone, reminder.stage) == (None, "Asia/Tokyo", None)
    assert (reminder.user_id, reminder.chat_id, reminder.status) == (1, 101, Status.PENDING)
    assert changes == ["changed"]


async def test_remind_absolute_is_wall_clock_in_users_zone(
    store: SqlStore, tracker: Tracker
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    reminder = await tracker.remind(user, "2027-02-14 09:00 Bring passport")
    assert reminder.due_at == utc(2027, 2, 14, 0, 0)
    assert reminder.local_time == "2027-02-14 09:00"
    assert reminder.timezone == "Asia/Tokyo"
    assert await store.get_reminder(reminder.id) == reminder


async def test_remind_uses_default_zone(store: SqlStore, tracker: Tracker) -> None:
    user = await make_user(store)
    reminder = await tracker.remind(user, "2027-07-01 09:00 Summer")
    assert reminder.due_at == utc(2027, 7, 1, 8, 0)
    assert reminder.timezone == "Europe/London"


async def test_remind_uses_the_clock(store: SqlStore, tracker: Tracker, clock: Clock) -> None:
    user = await make_user(store)
    clock.now = NOW + timedelta(days=3)
    reminder = await tracker.remind(user, "in 2h X")
    assert reminder.due_at == NOW + timedelta(days=3, hours=2)
    with pytest.raises(InputError, match="in the past"):
        await tracker.remind(user, "2027-01-12 12:00 X")


@pytest.mark.parametrize(
    "args", ["in soon X", "2027-01-01 09:00 Past", "2027-02-30 09:00 X", "in 2 hours", ""]
)
async def test_remind_error_stores_nothing(
    store: SqlStore, tracker: Tracker, changes: list[str], args: str
) -> None:
    user = await make_user(store)
    with pytest.raises(InputError):
        await tracker.remind(user, args)
    assert await store.user_reminders(1, list(Status)) == []
    assert changes == []


# -- /stage -------------------------------------------------------------------------------


async def test_set_stage_schedules_defaults_in_users_zone(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, changes: list[str]
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    change = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    assert change.stage.id == "interview"
    assert change.stage_at == utc(2027, 2, 14, 1, 30)
    assert change.skipped == 0
    assert change.next_stage is not None
    assert change.next_stage.id == "results"
    assert times(change.reminders) == [
        utc(2027, 2, 7, 1, 30),  # 7 days before, 10:30 Tokyo
        utc(2027, 2, 13, 9, 0),  # the day before at 18:00 Tokyo
        utc(2027, 2, 13, 23, 30),  # 2 hours before
    ]
    assert [r.text for r in change.reminders] == [
        "One week to go: interview on Sun 14 Feb 2027 at 10:30 (Asia/Tokyo).",
        "Your interview is tomorrow at 10:30 (Asia/Tokyo).",
        "In two hours: interview at 10:30 (Asia/Tokyo).",
    ]
    assert all(r.stage == "interview" and r.timezone == "Asia/Tokyo" for r in change.reminders)
    assert all(r.local_time is None and r.status is Status.PENDING for r in change.reminders)
    assert await store.user_reminders(1) == change.reminders
    stored = await store.get_user(1)
    assert stored is not None
    assert (stored.stage, stored.stage_at, stored.stage_local) == (
        "interview",
        utc(2027, 2, 14, 1, 30),
        "2027-02-14 10:30",
    )
    assert changes == ["changed"]


async def test_set_stage_across_dst(store: SqlStore, tracker: Tracker, kb: KnowledgeBase) -> None:
    user = await make_user(store, "Europe/London")
    change = await tracker.set_stage(user, kb, "interview", ["2027-04-01", "10:30"])
    assert change.stage_at == utc(2027, 4, 1, 9, 30)
    assert times(change.reminders) == [
        utc(2027, 3, 25, 10, 30),  # 10:30 GMT, a week before 10:30 BST
        utc(2027, 3, 31, 17, 0),  # 18:00 BST
        utc(2027, 4, 1, 7, 30),
    ]


async def test_set_stage_uses_default_zone(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store)
    change = await tracker.set_stage(user, kb, "apply", ["2027-07-02", "09:00"])
    assert change.stage_at == utc(2027, 7, 2, 8, 0)
    assert times(change.reminders) == [utc(2027, 7, 1, 17, 0)]
    assert change.reminders[0].timezone == "Europe/London"


async def test_set_stage_skips_past_defaults(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, clock: Clock
) -> None:
    clock.now = utc(2027, 2, 13, 12, 0)  # after the week-before and the day-before reminders
    user = await make_user(store, "Asia/Tokyo")
    change = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    assert change.skipped == 2
    assert times(change.reminders) == [utc(2027, 2, 13, 23, 30)]
    assert times(await store.user_reminders(1)) == [utc(2027, 2, 13, 23, 30)]


async def test_set_stage_all_defaults_past(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, clock: Clock, changes: list[str]
) -> None:
    clock.now = utc(2027, 2, 14, 0, 0)
    user = await make_user(store, "Asia/Tokyo")
    change = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    assert (change.reminders, change.skipped) == ([], 3)
    assert change.stage_at == utc(2027, 2, 14, 1, 30)
    assert changes == []


async def test_set_stage_new_date_replaces_reminders(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    first = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    custom = await tracker.remind(user, "in 1 day Buy a suit")
    second = await tracker.set_stage(user, kb, "interview", ["2027-03-01", "15:00"])
    assert times(second.reminders) == [
        utc(2027, 2, 22, 6, 0),
        utc(2027, 2, 28, 9, 0),
        utc(2027, 3, 1, 4, 0),
    ]
    for old in first.reminders:
        assert await store.get_reminder(old.id) == replace(old, status=Status.CANCELLED)
    assert await store.user_reminders(1) == sorted(
        [*second.reminders, custom], key=lambda r: r.due_at
    )


async def test_set_stage_keeps_other_stages_reminders(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    apply = await tracker.set_stage(user, kb, "apply", ["2027-02-01", "09:00"])
    interview = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    assert await store.user_reminders(1) == sorted(
        [*apply.reminders, *interview.reminders], key=lambda r: r.due_at
    )


async def test_set_stage_without_date(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, changes: list[str]
) -> None:
    user = await make_user(store)
    change = await tracker.set_stage(user, kb, "apply", [])
    assert (change.stage.id, change.stage_at, change.reminders, change.skipped) == (
        "apply",
        None,
        [],
        0,
    )
    assert change.next_stage is not None
    assert change.next_stage.id == "interview"
    stored = await store.get_user(1)
    assert stored is not None
    assert (stored.stage, stored.stage_at, stored.stage_local) == ("apply", None, None)
    assert await store.user_reminders(1) == []
    assert changes == []


async def test_set_stage_last_has_no_next(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store)
    change = await tracker.set_stage(user, kb, "results", ["2027-03-01", "09:00"])
    assert change.next_stage is None
    assert change.reminders == []


async def test_set_stage_id_is_case_insensitive(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store)
    change = await tracker.set_stage(user, kb, "Interview", [])
    assert change.stage.id == "interview"


async def test_set_stage_again_without_date_keeps_date_and_reminders_consistent(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    # The /stage menu's button for the current stage sets it again without a date.
    user = await make_user(store, "Asia/Tokyo")
    await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    await tracker.set_stage(user, kb, "interview", [])
    stored = await store.get_user(1)
    assert stored is not None
    still_open = [r for r in await store.user_reminders(1) if r.stage == "interview"]
    # Either the bot still knows the date it reminds of, or it no longer reminds of it.
    assert stored.stage_at is not None or still_open == []


async def test_unknown_stage_lists_stage_ids(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store)
    with pytest.raises(InputError) as error:
        await tracker.set_stage(user, kb, "interveiw", ["2027-02-14", "10:30"])
    assert str(error.value) == "'interveiw' is not a stage; use one of: apply, interview, results"
    assert await user_state(store) == (user, [])


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (["2027-01-09", "10:30"], "in the past"),
        (["2027-01-10", "12:00"], "in the past"),
        (["2027-02-30", "10:30"], "not a real date"),
        (["2027-02-14"], "YYYY-MM-DD HH:MM"),
        (["2027-02-14", "10:30", "extra"], "YYYY-MM-DD HH:MM"),
        (["tomorrow", "10:30"], "is not a date and time"),
        (["2031-01-01", "10:30"], "three years"),
    ],
)
async def test_bad_stage_date_changes_nothing(
    store: SqlStore,
    tracker: Tracker,
    kb: KnowledgeBase,
    changes: list[str],
    when: list[str],
    expected: str,
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    await tracker.set_stage(user, kb, "apply", ["2027-02-01", "09:00"])
    before = await user_state(store)
    changes.clear()
    with pytest.raises(InputError) as error:
        await tracker.set_stage(user, kb, "interview", when)
    assert expected in str(error.value)
    assert await user_state(store) == before
    assert changes == []


async def test_shipped_stages_schedule_their_reminders(
    store: SqlStore, tracker: Tracker, shipped_kb: KnowledgeBase
) -> None:
    user = await make_user(store, "America/New_York")
    for stage in shipped_kb.stages:
        change = await tracker.set_stage(user, shipped_kb, stage.id, ["2027-06-15", "10:30"])
        assert len(change.reminders) == len(stage.reminders) >= 1
        for reminder in change.reminders:
            assert "{" not in reminder.text
            assert "}" not in reminder.text
            assert change.stage_at is not None
            assert reminder.due_at < change.stage_at
            assert reminder.stage == stage.id


async def test_shipped_interview_reminders(
    store: SqlStore, tracker: Tracker, shipped_kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Europe/London")
    change = await tracker.set_stage(user, shipped_kb, "interview", ["2027-04-01", "10:30"])
    assert times(change.reminders) == [
        utc(2027, 3, 25, 10, 30),
        utc(2027, 3, 31, 17, 0),
        utc(2027, 4, 1, 7, 30),
    ]
    assert change.reminders[0].text == (
        "One week to go: your interview is on Thu 01 Apr 2027 at 10:30 (Europe/London)."
    )


# -- /timezone --------------------------------------------------------------------------------


async def test_set_timezone_moves_wall_clock_times_only(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, changes: list[str]
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    wall = await tracker.remind(user, "2027-02-14 09:00 Bring passport")
    relative = await tracker.remind(user, "in 90 minutes Call the embassy")
    stage = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    changes.clear()

    change = await tracker.set_timezone(user, kb, "europe/london")

    zone, moved = change.zone, change.moved

    assert zone.key == "Europe/London"
    assert moved == 4  # the wall-clock reminder and the interview's three
    stored = await store.get_user(1)
    assert stored is not None
    assert stored.timezone == "Europe/London"
    assert (stored.stage, stored.stage_at, stored.stage_local) == (
        "interview",
        utc(2027, 2, 14, 10, 30),
        "2027-02-14 10:30",
    )
    moved_wall = await store.get_reminder(wall.id)
    assert moved_wall is not None
    assert (moved_wall.due_at, moved_wall.run_at) == (utc(2027, 2, 14, 9, 0),) * 2
    assert (moved_wall.local_time, moved_wall.timezone) == ("2027-02-14 09:00", "Europe/London")
    kept = await store.get_reminder(relative.id)
    assert kept is not None
    assert (kept.due_at, kept.timezone) == (NOW + timedelta(minutes=90), "Europe/London")
    for old in stage.reminders:
        assert await _status(store, old.id) is Status.CANCELLED
    interview = [r for r in await store.user_reminders(1) if r.stage == "interview"]
    assert times(interview) == [
        utc(2027, 2, 7, 10, 30),
        utc(2027, 2, 13, 18, 0),
        utc(2027, 2, 14, 8, 30),
    ]
    assert all(r.text.endswith("(Europe/London).") for r in interview)
    assert changes


async def _status(store: SqlStore, reminder_id: int) -> Status:
    reminder = await store.get_reminder(reminder_id)
    assert reminder is not None
    return reminder.status


async def test_set_timezone_wall_clock_across_dst(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    winter = await tracker.remind(user, "2027-03-27 09:00 Winter")
    summer = await tracker.remind(user, "2027-03-29 09:00 Summer")
    await tracker.set_timezone(user, kb, "Europe/London")
    assert times(await store.user_reminders(1)) == [
        utc(2027, 3, 27, 9, 0),
        utc(2027, 3, 29, 8, 0),
    ]
    assert [r.id for r in await store.user_reminders(1)] == [winter.id, summer.id]


async def test_set_timezone_without_anything_to_move(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, changes: list[str]
) -> None:
    user = await make_user(store)
    change = await tracker.set_timezone(user, kb, "Asia/Tokyo")
    zone, moved = change.zone, change.moved
    assert (zone.key, moved) == ("Asia/Tokyo", 0)
    stored = await store.get_user(1)
    assert stored is not None
    assert stored.timezone == "Asia/Tokyo"
    assert changes == []


async def test_set_timezone_keeps_a_passed_stage_date(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, clock: Clock
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    clock.now = utc(2027, 2, 20, 0, 0)
    await tracker.set_timezone(user, kb, "Europe/London")
    stored = await store.get_user(1)
    assert stored is not None
    assert (stored.stage_at, stored.timezone) == (utc(2027, 2, 14, 1, 30), "Europe/London")


async def test_set_timezone_stage_date_in_new_zones_dst_gap(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    # 01:30 on 2027-03-28 exists in Tokyo but not in London, where the clocks skip it.
    user = await make_user(store, "Asia/Tokyo")
    await tracker.set_stage(user, kb, "interview", ["2027-03-28", "01:30"])
    zone = (await tracker.set_timezone(user, kb, "Europe/London")).zone
    assert zone.key == "Europe/London"
    interview = [r for r in await store.user_reminders(1) if r.stage == "interview"]
    assert interview
    assert all(r.text.endswith("(Europe/London).") for r in interview)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "London", ""])
async def test_set_timezone_unknown_zone_changes_nothing(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, changes: list[str], name: str
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    await tracker.remind(user, "2027-02-14 09:00 Bring passport")
    await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    before = await user_state(store)
    changes.clear()
    with pytest.raises(InputError, match="is not a time zone I know"):
        await tracker.set_timezone(user, kb, name)
    assert await user_state(store) == before
    assert changes == []


# -- cancel, snooze, seen --------------------------------------------------------------------


async def test_cancel(store: SqlStore, tracker: Tracker, changes: list[str]) -> None:
    user = await make_user(store)
    other = await make_user(store, user_id=2)
    reminder = await tracker.remind(user, "in 1 hour X")
    changes.clear()
    assert not await tracker.cancel(other, reminder.id)
    assert changes == []
    assert await tracker.cancel(user, reminder.id)
    assert await _status(store, reminder.id) is Status.CANCELLED
    assert changes == ["changed"]
    assert not await tracker.cancel(user, reminder.id)
    assert changes == ["changed"]


async def test_snooze_creates_a_new_reminder_an_hour_later(
    store: SqlStore, tracker: Tracker, clock: Clock, changes: list[str]
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    original = await tracker.remind(user, "2027-02-14 09:00 Bring passport")
    clock.now = utc(2027, 2, 14, 0, 1)
    changes.clear()
    snoozed = await tracker.snooze(user, original.id)
    assert snoozed is not None
    assert snoozed.id != original.id
    assert (snoozed.text, snoozed.due_at, snoozed.status) == (
        "Bring passport",
        utc(2027, 2, 14, 1, 1),
        Status.PENDING,
    )
    assert (snoozed.user_id, snoozed.chat_id, snoozed.timezone) == (1, 101, "Asia/Tokyo")
    assert snoozed.local_time is None
    assert await store.get_reminder(original.id) == original
    assert await store.get_reminder(snoozed.id) == snoozed
    assert changes == ["changed"]


async def test_snooze_only_for_owner(
    store: SqlStore, tracker: Tracker, changes: list[str]
) -> None:
    owner = await make_user(store)
    other = await make_user(store, user_id=2)
    reminder = await tracker.remind(owner, "in 1 hour X")
    changes.clear()
    assert await tracker.snooze(other, reminder.id) is None
    assert await tracker.snooze(other, 9999) is None
    assert await store.user_reminders(2, list(Status)) == []
    assert len(await store.user_reminders(1, list(Status))) == 1
    assert changes == []


async def test_seen_resumes_paused_reminders(
    store: SqlStore, tracker: Tracker, changes: list[str]
) -> None:
    user = await make_user(store)
    await tracker.remind(user, "in 1 hour X")
    await tracker.remind(user, "in 2 hours Y")
    await store.mark_inactive(1)
    changes.clear()
    seen = await tracker.seen(1, 101)
    assert seen.resumed == 2
    assert seen.user.active
    assert changes == ["changed"]
    seen = await tracker.seen(1, 101)
    assert seen.resumed == 0
    assert changes == ["changed"]


async def test_seen_new_user(store: SqlStore, tracker: Tracker) -> None:
    seen = await tracker.seen(7, 107)
    assert (seen.user.user_id, seen.user.chat_id, seen.resumed) == (7, 107, 0)
    assert seen.user.created_at == NOW


class NoSender:
    async def send(self, chat_id: int, reply: Reply) -> None:
        raise AssertionError("nothing is sent here")


async def test_changes_wake_the_pusher(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    pusher = Pusher(store, NoSender(), clock=tracker.clock)
    tracker.listeners.append(pusher.wake)
    user = await make_user(store, "Asia/Tokyo")
    assert not pusher.wakeup.is_set()
    await tracker.set_stage(user, kb, "apply", [])
    assert not pusher.wakeup.is_set()
    reminder = await tracker.remind(user, "in 1 hour X")
    assert pusher.wakeup.is_set()
    for action in (
        tracker.snooze(user, reminder.id),
        tracker.cancel(user, reminder.id),
        tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"]),
        tracker.set_timezone(user, kb, "Europe/London"),
    ):
        pusher.wakeup.clear()
        await action
        assert pusher.wakeup.is_set()


def test_show() -> None:
    assert show(utc(2027, 2, 14, 1, 30), ZoneInfo("Asia/Tokyo")) == "Sun 14 Feb 2027 10:30"


async def test_a_time_zone_change_does_not_resend_delivered_stage_reminders(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase, clock: Clock
) -> None:
    user = await make_user(store, "Asia/Tokyo")
    change = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    first = min(change.reminders, key=lambda r: r.due_at)
    clock.now = first.due_at + timedelta(minutes=1)
    [claimed] = await store.claim_due("w", clock.now, 10)
    await store.mark_sent(claimed.id, "w", clock.now)

    await tracker.set_timezone(user, kb, "America/Los_Angeles")
    open_texts = [r.text for r in await store.user_reminders(user.user_id)]
    assert len(open_texts) == len(change.reminders) - 1
    assert all("One week" not in text for text in open_texts)
