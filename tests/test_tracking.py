from __future__ import annotations

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


async def test_set_stage_new_date_moves_reminders_keeping_their_numbers(
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
    assert [r.number for r in first.reminders] == [r.number for r in second.reminders]
    assert [r.number for r in second.reminders] == [1, 2, 3]
    assert custom.number == 4
    assert await store.user_reminders(1) == sorted(
        [*second.reminders, custom], key=lambda r: r.due_at
    )
    cancelled = await store.count_reminders(1, [Status.CANCELLED])
    assert cancelled == 0


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
    assert str(error.value) == (
        "'interveiw' is not a stage; use one of: apply, interview, results, "
        "e.g. /stage interview 14 Feb 10:30"
    )
    assert await user_state(store) == (user, [])


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (["2027-01-09", "10:30"], "in the past"),
        (["2027-01-10", "12:00"], "in the past"),
        (["2027-02-30", "10:30"], "not a real date"),
        (["31", "Feb"], "not a real date"),
        (["14/02/2027", "25:00"], "not a real time"),
        (["2027-02-14", "10:30", "extra"], "but not 'extra'"),
        (["someday"], "is not a date or time"),
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
    interview = [r for r in await store.user_reminders(1) if r.stage == "interview"]
    # Moved in place: the same rows, so the same numbers the user knows.
    assert [r.id for r in interview] == [r.id for r in stage.reminders]
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


# -- natural dates, stages by title, stable numbers (issue 11) ------------------------------


@pytest.mark.parametrize(
    ("args", "due", "wall_clock"),
    [
        ("tomorrow 9am call embassy", utc(2027, 1, 11, 9, 0), True),
        ("14 Feb 10:30 Bring passport", utc(2027, 2, 14, 10, 30), True),
        ("14/02/2027 Bring passport", utc(2027, 2, 14, 9, 0), True),
        ("friday 14:00 Call", utc(2027, 1, 15, 14, 0), True),
        ("in 1h30m Call", NOW + timedelta(minutes=90), False),
    ],
)
async def test_remind_reads_natural_dates(
    store: SqlStore, tracker: Tracker, args: str, due: datetime, wall_clock: bool
) -> None:
    user = await make_user(store, "Europe/London")
    reminder = await tracker.remind(user, args)
    assert reminder.due_at == due
    assert (reminder.local_time is not None) == wall_clock


@pytest.mark.parametrize(
    ("words", "stage_id", "at", "time_given"),
    [
        (["interview", "14", "Feb", "10:30"], "interview", utc(2027, 2, 14, 10, 30), True),
        (["interview", "2027-02-14"], "interview", utc(2027, 2, 14, 9, 0), False),
        (["Application", "14/02/2027", "9am"], "apply", utc(2027, 2, 14, 9, 0), True),
    ],
)
async def test_stage_reads_natural_dates_and_titles(
    store: SqlStore,
    tracker: Tracker,
    kb: KnowledgeBase,
    words: list[str],
    stage_id: str,
    at: datetime,
    time_given: bool,
) -> None:
    user = await make_user(store, "Europe/London")
    change = await tracker.set_stage(user, kb, words[0], words[1:])
    assert (change.stage.id, change.stage_at, change.time_given) == (stage_id, at, time_given)


async def test_a_stage_title_of_several_words_wins_over_an_id(
    store: SqlStore, tracker: Tracker, shipped_kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Europe/London")
    change = await tracker.set_stage(
        user, shipped_kb, "application", "review 14 Feb 10:30".split()
    )
    assert (change.stage.id, change.stage_at) == ("review", utc(2027, 2, 14, 10, 30))
    change = await tracker.set_stage(user, shipped_kb, "application review", [])
    assert change.stage.id == "review"
    change = await tracker.set_stage(user, shipped_kb, "application", ["14", "Feb"])
    assert change.stage.id == "application"


async def test_stage_date_in_a_dst_gap_is_refused(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Europe/London")
    with pytest.raises(InputError, match="clocks skip it"):
        await tracker.set_stage(user, kb, "interview", ["2027-03-28", "01:30"])
    south = await make_user(store, "Australia/Sydney", user_id=2)
    # Sydney's clocks go forward on the first Sunday of October: 02:30 does not exist.
    with pytest.raises(InputError, match="clocks skip it"):
        await tracker.set_stage(south, kb, "interview", ["3", "Oct", "2027", "02:30"])


async def test_numbers_survive_many_zone_changes(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    """The issue: after four /timezone changes, reminders #1 to #3 became #16 to #18."""
    user = await make_user(store, "Asia/Tokyo")
    change = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "09:30"])
    assert [r.number for r in change.reminders] == [1, 2, 3]
    for zone in ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo"):
        await tracker.set_timezone(user, kb, zone)
    live = await store.user_reminders(1)
    assert [r.number for r in live] == [1, 2, 3]
    assert await store.count_reminders(1, [Status.CANCELLED]) == 0
    data = await tracker.my_data(1)
    assert (len(data.reminders), data.past) == (3, 0)
    # A number given before the changes still names the same reminder.
    cancelled = await tracker.cancel_number(user, 2)
    assert cancelled is not None
    assert cancelled.id == change.reminders[1].id


async def test_default_reminders_switch_off_and_on(
    store: SqlStore, tracker: Tracker, kb: KnowledgeBase
) -> None:
    user = await make_user(store, "Europe/London")
    first = await tracker.set_stage(user, kb, "interview", ["2027-02-14", "10:30"])
    assert len(first.reminders) == 3
    off = await tracker.set_default_reminders(user, kb, False)
    assert off is not None
    assert off.reminders == []
    assert await store.user_reminders(1) == []
    again = await tracker.set_stage(user, kb, "interview", ["2027-02-15", "10:30"])
    assert (again.reminders, again.defaults_off) == ([], True)
    on = await tracker.set_default_reminders(user, kb, True)
    assert on is not None
    assert [r.due_at for r in on.reminders] == [
        utc(2027, 2, 8, 10, 30),
        utc(2027, 2, 14, 18, 0),
        utc(2027, 2, 15, 8, 30),
    ]


async def test_my_data_lists_live_reminders_and_counts_past_ones(
    store: SqlStore, tracker: Tracker
) -> None:
    user = await make_user(store)
    kept = await tracker.remind(user, "in 1 hour Keep")
    gone = await tracker.remind(user, "in 2 hours Gone")
    await tracker.cancel_number(user, gone.shown)
    data = await tracker.my_data(1)
    assert [r.id for r in data.reminders] == [kept.id]
    assert data.past == 1
