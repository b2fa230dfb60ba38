"""Staff broadcasts, scheduled announcements, staff notices and the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot import broadcasts
from bot.broadcasts import (
    ANNOUNCEMENT_GRACE,
    SYSTEM,
    Report,
    audit,
    audit_log,
    cancel,
    confirm,
    draft,
    finish,
    notify_staff,
    release_announcements,
)
from bot.knowledge import Announcement, KnowledgeBase
from bot.storage import Kind, NewReminder, Status, Storage, to_epoch
from tests.conftest import NOW

STAFF = 900
OTHER_STAFF = 901
WORKER = "worker-1"

# user id -> (stage, active)
USERS = {
    1: ("interview", True),
    2: ("interview", True),
    3: ("interview", False),
    4: ("apply", True),
    5: (None, True),
}


async def add_users(storage: Storage, users: dict[int, tuple[str | None, bool]] = USERS) -> None:
    for user_id, (stage, active) in users.items():
        await storage.touch_user(user_id, user_id + 1000, NOW)
        if stage is not None:
            await storage.set_stage(user_id, stage, None, None, [], NOW)
        if not active:
            await storage.mark_inactive(user_id)


async def deliveries(storage: Storage, kind: Kind = Kind.BROADCAST) -> list[tuple[int, ...]]:
    """(user id, chat id, broadcast id, status) of every row of ``kind``, by user."""
    rows = await storage.fetch(
        "SELECT user_id, chat_id, broadcast_id, status, text FROM reminders WHERE kind = ? "
        "ORDER BY user_id, id",
        (kind,),
    )
    return [tuple(row) for row in rows]


async def broadcast_row(storage: Storage, broadcast_id: int) -> dict[str, object]:
    row = await storage.fetch_one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    assert row is not None
    return dict(row)


async def actions(storage: Storage) -> list[tuple[int, str, str]]:
    return [(staff, action, detail) for _, staff, action, detail in await audit_log(storage)][::-1]


async def settle(storage: Storage, outcomes: dict[int, str]) -> None:
    """Deliver every open broadcast row: 'sent', 'failed' or 'blocked' per user id."""
    for reminder in await storage.claim_due(WORKER, NOW, 100):
        outcome = outcomes[reminder.user_id]
        if outcome == "sent":
            assert await storage.mark_sent(reminder.id, WORKER, NOW)
        elif outcome == "failed":
            assert await storage.mark_failed(reminder.id, WORKER, "Bad Request")
        else:
            await storage.mark_inactive(reminder.user_id)


def kb(*announcements: Announcement) -> KnowledgeBase:
    return KnowledgeBase(
        topics={},
        stages=(),
        messages={"welcome": "Hi", "fallback": "Sorry"},
        synonyms={},
        directory=Path("knowledge"),
        announcements=announcements,
    )


def announcement(
    at: datetime, stage: str | None = None, ident: str = "open-day-2027"
) -> Announcement:
    return Announcement(ident, at, "The open day starts in one hour.", stage)


# -- draft -----------------------------------------------------------------------------


@pytest.mark.parametrize(("stage", "recipients"), [("interview", 2), ("apply", 1), (None, 4)])
async def test_draft_counts_active_recipients(
    storage: Storage, stage: str | None, recipients: int
) -> None:
    await add_users(storage)
    result = await draft(storage, STAFF, stage, "Good luck!", NOW)
    assert (result.stage, result.text, result.recipients) == (stage, "Good luck!", recipients)
    row = await broadcast_row(storage, result.id)
    assert (row["staff_id"], row["stage"], row["status"]) == (STAFF, stage, "draft")
    assert await deliveries(storage) == []


async def test_draft_with_no_recipients(storage: Storage) -> None:
    await add_users(storage)
    assert (await draft(storage, STAFF, "results", "Results are out", NOW)).recipients == 0


async def test_draft_is_audited(storage: Storage) -> None:
    await add_users(storage)
    first = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    second = await draft(storage, STAFF, None, "x" * 500, NOW)
    assert await actions(storage) == [
        (STAFF, "broadcast drafted", f"#{first.id} to interview: Good luck!"),
        (STAFF, "broadcast drafted", f"#{second.id} to all: " + "x" * 200),
    ]
    [(at, _, _, _), _] = await audit_log(storage)
    assert at == to_epoch(NOW)


# -- confirm and cancel ----------------------------------------------------------------


async def test_confirm_queues_one_delivery_per_active_recipient_at_the_stage(
    storage: Storage,
) -> None:
    await add_users(storage)
    new = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    assert await confirm(storage, new.id, STAFF, NOW) == 2
    assert await deliveries(storage) == [
        (1, 1001, new.id, "pending", "Good luck!"),
        (2, 1002, new.id, "pending", "Good luck!"),
    ]
    assert await storage.due_ids(NOW, 10) != []
    row = await broadcast_row(storage, new.id)
    assert (row["status"], row["recipients"], row["confirmed_at"]) == (
        "sending",
        2,
        to_epoch(NOW),
    )
    assert (await actions(storage))[-1] == (STAFF, "broadcast confirmed", f"#{new.id} to 2")


async def test_confirm_to_everyone(storage: Storage) -> None:
    await add_users(storage)
    new = await draft(storage, STAFF, None, "Hello all", NOW)
    assert await confirm(storage, new.id, STAFF, NOW) == 4
    assert [row[0] for row in await deliveries(storage)] == [1, 2, 4, 5]


async def test_confirm_counts_recipients_as_they_are_when_confirmed(storage: Storage) -> None:
    await add_users(storage)
    new = await draft(storage, STAFF, "apply", "Deadline soon", NOW)
    await storage.set_stage(1, "apply", None, None, [], NOW)
    assert await confirm(storage, new.id, STAFF, NOW) == 2
    assert [row[0] for row in await deliveries(storage)] == [1, 4]


async def test_confirming_twice_queues_nothing_more(storage: Storage) -> None:
    await add_users(storage)
    new = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    assert await confirm(storage, new.id, STAFF, NOW) == 2
    assert await confirm(storage, new.id, STAFF, NOW) is None
    assert len(await deliveries(storage)) == 2
    assert [a for _, a, _ in await actions(storage)].count("broadcast confirmed") == 1


async def test_confirm_after_cancel_queues_nothing(storage: Storage) -> None:
    await add_users(storage)
    new = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    assert await cancel(storage, new.id, STAFF, NOW) is True
    assert await confirm(storage, new.id, STAFF, NOW) is None
    assert await deliveries(storage) == []
    assert (await broadcast_row(storage, new.id))["status"] == "cancelled"
    assert (await actions(storage))[-1] == (STAFF, "broadcast cancelled", f"#{new.id}")


async def test_cancel_twice_or_after_confirm_does_nothing(storage: Storage) -> None:
    await add_users(storage)
    first = await draft(storage, STAFF, "interview", "one", NOW)
    second = await draft(storage, STAFF, "interview", "two", NOW)
    assert await cancel(storage, first.id, STAFF, NOW) is True
    assert await cancel(storage, first.id, STAFF, NOW) is False
    assert await confirm(storage, second.id, STAFF, NOW) == 2
    assert await cancel(storage, second.id, STAFF, NOW) is False
    assert (await broadcast_row(storage, second.id))["status"] == "sending"
    assert [a for _, a, _ in await actions(storage)].count("broadcast cancelled") == 1


async def test_only_the_drafting_staff_member_can_confirm_or_cancel(storage: Storage) -> None:
    await add_users(storage)
    new = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    assert await confirm(storage, new.id, OTHER_STAFF, NOW) is None
    assert await cancel(storage, new.id, OTHER_STAFF, NOW) is False
    assert await deliveries(storage) == []
    assert (await broadcast_row(storage, new.id))["status"] == "draft"
    assert await confirm(storage, new.id, STAFF, NOW) == 2


async def test_confirming_an_unknown_broadcast(storage: Storage) -> None:
    assert await confirm(storage, 12345, STAFF, NOW) is None
    assert await cancel(storage, 12345, STAFF, NOW) is False


# -- finish and the report ----------------------------------------------------------------


async def confirmed(storage: Storage) -> int:
    await add_users(
        storage,
        {
            1: ("interview", True),
            2: ("interview", True),
            3: ("interview", True),
            4: ("interview", True),
        },
    )
    new = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    assert await confirm(storage, new.id, STAFF, NOW) == 4
    return new.id


async def test_finish_waits_for_pending_and_sending_deliveries(storage: Storage) -> None:
    broadcast_id = await confirmed(storage)
    assert await finish(storage, NOW) == []
    [claimed, *_] = await storage.claim_due(WORKER, NOW, 1)
    await storage.mark_sent(claimed.id, WORKER, NOW)
    await storage.claim_due(WORKER, NOW, 1)  # one left 'sending'
    assert await finish(storage, NOW) == []
    assert (await broadcast_row(storage, broadcast_id))["status"] == "sending"
    assert await deliveries(storage, Kind.NOTICE) == []


async def test_finish_reports_once_with_sent_blocked_and_failed(storage: Storage) -> None:
    broadcast_id = await confirmed(storage)
    await settle(storage, {1: "sent", 2: "sent", 3: "blocked", 4: "failed"})
    later = NOW + timedelta(minutes=5)
    assert await finish(storage, later) == [Report(broadcast_id, STAFF, 2, 1, 1)]
    row = await broadcast_row(storage, broadcast_id)
    assert (row["status"], row["finished_at"]) == ("done", to_epoch(later))
    text = f"Broadcast #{broadcast_id} finished: 2 sent, 1 blocked the bot, 1 failed."
    assert await deliveries(storage, Kind.NOTICE) == [(STAFF, STAFF, None, "pending", text)]
    assert await finish(storage, later) == []
    assert len(await deliveries(storage, Kind.NOTICE)) == 1


async def test_report_notice_is_delivered_through_the_queue(storage: Storage) -> None:
    broadcast_id = await confirmed(storage)
    await settle(storage, dict.fromkeys(range(1, 5), "sent"))
    [report] = await finish(storage, NOW)
    assert report == Report(broadcast_id, STAFF, 4, 0, 0)
    [notice] = await storage.claim_due(WORKER, NOW, 10)
    assert (notice.kind, notice.user_id, notice.chat_id) == (Kind.NOTICE, STAFF, STAFF)
    assert notice.text == report.text()


async def test_finish_of_a_broadcast_to_nobody(storage: Storage) -> None:
    new = await draft(storage, STAFF, "interview", "Anyone?", NOW)
    assert await confirm(storage, new.id, STAFF, NOW) == 0
    assert await finish(storage, NOW) == [Report(new.id, STAFF, 0, 0, 0)]
    assert len(await deliveries(storage, Kind.NOTICE)) == 1


async def test_finish_ignores_drafts_and_cancelled(storage: Storage) -> None:
    await add_users(storage)
    await draft(storage, STAFF, None, "a draft", NOW)
    gone = await draft(storage, STAFF, None, "cancelled", NOW)
    await cancel(storage, gone.id, STAFF, NOW)
    assert await finish(storage, NOW) == []
    assert await deliveries(storage, Kind.NOTICE) == []


# -- scheduled announcements ----------------------------------------------------------------


async def test_future_announcement_is_not_released(storage: Storage) -> None:
    await add_users(storage)
    base = kb(announcement(NOW + timedelta(minutes=1)))
    assert await release_announcements(storage, base, NOW) == []
    assert await deliveries(storage) == []
    assert await storage.fetch("SELECT * FROM broadcasts") == []
    assert await release_announcements(storage, base, NOW + timedelta(minutes=1)) == [
        "open-day-2027"
    ]


async def test_due_announcement_is_queued_once(storage: Storage) -> None:
    await add_users(storage)
    base = kb(announcement(NOW - timedelta(minutes=5)))
    assert await release_announcements(storage, base, NOW) == ["open-day-2027"]
    queued = await deliveries(storage)
    assert [row[0] for row in queued] == [1, 2, 4, 5]
    assert {row[4] for row in queued} == {"The open day starts in one hour."}
    assert await release_announcements(storage, base, NOW + timedelta(seconds=1)) == []
    reloaded = kb(replace(announcement(NOW - timedelta(minutes=5)), text="Edited text"))
    assert await release_announcements(storage, reloaded, NOW + timedelta(minutes=1)) == []
    assert await deliveries(storage) == queued
    [(staff, action, detail)] = await actions(storage)
    assert (staff, action, detail) == (SYSTEM, "announcement sent", "open-day-2027 to 4")


async def test_announcement_just_within_the_grace_is_sent(storage: Storage) -> None:
    await add_users(storage)
    base = kb(announcement(NOW - ANNOUNCEMENT_GRACE))
    assert await release_announcements(storage, base, NOW) == ["open-day-2027"]
    assert len(await deliveries(storage)) == 4


async def test_late_announcement_is_skipped(storage: Storage) -> None:
    await add_users(storage)
    base = kb(announcement(NOW - ANNOUNCEMENT_GRACE - timedelta(seconds=1)))
    assert await release_announcements(storage, base, NOW) == []
    assert await deliveries(storage) == []
    [row] = await storage.fetch("SELECT status, announcement, staff_id FROM broadcasts")
    assert tuple(row) == ("skipped", "open-day-2027", SYSTEM)
    assert await release_announcements(storage, base, NOW + timedelta(hours=1)) == []
    assert await deliveries(storage) == []
    assert await finish(storage, NOW) == []


async def test_announcement_stage_limits_recipients(storage: Storage) -> None:
    await add_users(storage)
    base = kb(
        announcement(NOW - timedelta(minutes=1), stage="interview"),
        announcement(NOW - timedelta(minutes=1), stage="apply", ident="apply-deadline"),
    )
    assert await release_announcements(storage, base, NOW) == ["open-day-2027", "apply-deadline"]
    rows = await storage.fetch(
        "SELECT r.user_id, b.announcement FROM reminders r JOIN broadcasts b "
        "ON b.id = r.broadcast_id ORDER BY r.user_id"
    )
    assert [tuple(row) for row in rows] == [
        (1, "open-day-2027"),
        (2, "open-day-2027"),
        (4, "apply-deadline"),
    ]


async def test_finished_announcement_reports_to_no_one(storage: Storage) -> None:
    await add_users(storage)
    await release_announcements(storage, kb(announcement(NOW)), NOW)
    await settle(storage, {1: "sent", 2: "sent", 4: "blocked", 5: "sent"})
    [report] = await finish(storage, NOW)
    assert (report.staff_id, report.sent, report.blocked, report.failed) == (SYSTEM, 3, 1, 0)
    assert await deliveries(storage, Kind.NOTICE) == []
    assert await storage.get_user(SYSTEM) is None


# -- staff notices ---------------------------------------------------------------------------


async def test_notify_staff_queues_one_notice_each_and_creates_missing_users(
    storage: Storage,
) -> None:
    await storage.touch_user(STAFF, 4242, NOW - timedelta(days=3))
    await notify_staff(storage, frozenset({STAFF, OTHER_STAFF}), "Reload failed", NOW)
    assert await deliveries(storage, Kind.NOTICE) == [
        (STAFF, STAFF, None, "pending", "Reload failed"),
        (OTHER_STAFF, OTHER_STAFF, None, "pending", "Reload failed"),
    ]
    known = await storage.get_user(STAFF)
    assert known is not None
    assert known.chat_id == 4242
    assert known.last_seen_at == NOW - timedelta(days=3)
    created = await storage.get_user(OTHER_STAFF)
    assert created is not None
    assert (created.chat_id, created.active, created.created_at) == (OTHER_STAFF, True, NOW)


async def test_notify_no_staff_queues_nothing(storage: Storage) -> None:
    await notify_staff(storage, frozenset(), "Reload failed", NOW)
    assert await deliveries(storage, Kind.NOTICE) == []
    assert await storage.fetch("SELECT * FROM users") == []


async def test_long_notice_is_cut_to_a_telegram_message(storage: Storage) -> None:
    await notify_staff(storage, frozenset({STAFF}), "x" * 5000, NOW)
    [(_, _, _, _, text)] = await deliveries(storage, Kind.NOTICE)
    assert len(text) == 4000


async def test_audit_records_who_what_when(storage: Storage) -> None:
    await audit(storage, STAFF, "reload", "23 topics", NOW)
    assert await audit_log(storage) == [(to_epoch(NOW), STAFF, "reload", "23 topics")]


# -- deliveries are not the users' reminders ---------------------------------------------------


async def test_broadcasts_and_notices_are_not_in_a_users_reminders(storage: Storage) -> None:
    await add_users(storage)
    [own] = await storage.add_reminders(
        [NewReminder(1, 1001, "Bring passport", NOW + timedelta(days=1), "UTC")], NOW
    )
    new = await draft(storage, STAFF, "interview", "Good luck!", NOW)
    await confirm(storage, new.id, STAFF, NOW)
    await release_announcements(storage, kb(announcement(NOW)), NOW)
    await notify_staff(storage, frozenset({1}), "You are staff too", NOW)
    kinds = [row[0] for row in await storage.fetch("SELECT kind FROM reminders WHERE user_id = 1")]
    assert sorted(kinds) == ["broadcast", "broadcast", "notice", "reminder"]
    every_status = tuple(Status)
    assert [r.id for r in await storage.user_reminders(1)] == [own]
    assert [r.id for r in await storage.user_reminders(1, every_status)] == [own]
    assert await storage.user_reminders(2, every_status) == []
    others = await storage.fetch("SELECT id FROM reminders WHERE user_id = 1 AND id != ?", (own,))
    for (reminder_id,) in others:
        assert await storage.cancel(1, reminder_id) is False


def test_report_text() -> None:
    assert broadcasts.Report(7, STAFF, 10, 2, 1).text() == (
        "Broadcast #7 finished: 10 sent, 2 blocked the bot, 1 failed."
    )


async def test_a_broadcast_a_user_blocked_is_not_sent_when_they_return(storage: Storage) -> None:
    broadcast_id = await confirmed(storage)  # users 1-4
    await settle(storage, {1: "sent", 2: "blocked", 3: "sent", 4: "sent"})
    await storage.touch_user(2, 1002, NOW + timedelta(days=3))  # they unblock and write
    statuses = [row[3] for row in await deliveries(storage) if row[0] == 2]
    assert statuses == [Status.BLOCKED]
    [report] = await finish(storage, NOW)
    assert (report.broadcast_id, report.sent, report.blocked) == (broadcast_id, 3, 1)
