"""Staff broadcasts, scheduled announcements, staff notices and the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.broadcasts import ANNOUNCEMENT_GRACE, finish, release_announcements
from bot.knowledge import Announcement, KnowledgeBase
from bot.replies.staff import report_text
from bot.store import AuditEntry, Kind, NewReminder, SqlStore, Status
from bot.store import BroadcastReport as Report
from bot.store.db import to_epoch
from bot.store.staff import SYSTEM
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


async def add_users(store: SqlStore, users: dict[int, tuple[str | None, bool]] = USERS) -> None:
    for user_id, (stage, active) in users.items():
        await store.touch_user(user_id, user_id + 1000, NOW)
        if stage is not None:
            await store.set_stage(user_id, stage, None, None, [], NOW)
        if not active:
            await store.mark_inactive(user_id)


async def deliveries(store: SqlStore, kind: Kind = Kind.BROADCAST) -> list[tuple[int, ...]]:
    """(user id, chat id, broadcast id, status) of every row of ``kind``, by user."""
    rows = await store.fetch(
        "SELECT user_id, chat_id, broadcast_id, status, text FROM reminders WHERE kind = ? "
        "ORDER BY user_id, id",
        (kind.value,),
    )
    return [tuple(row) for row in rows]


async def broadcast_row(store: SqlStore, broadcast_id: int) -> dict[str, object]:
    row = await store.fetch_one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    assert row is not None
    return dict(row)


async def actions(store: SqlStore) -> list[tuple[int, str, str]]:
    return [(e.staff_id, e.action, e.detail) for e in await store.audit_log()][::-1]


async def settle(store: SqlStore, outcomes: dict[int, str]) -> None:
    """Deliver every open broadcast row: 'sent', 'failed' or 'blocked' per user id."""
    for reminder in await store.claim_due(WORKER, NOW, 100):
        outcome = outcomes[reminder.user_id]
        if outcome == "sent":
            assert await store.mark_sent(reminder.id, WORKER, NOW)
        elif outcome == "failed":
            assert await store.mark_failed(reminder.id, WORKER, "Bad Request")
        else:
            await store.mark_inactive(reminder.user_id)


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
    store: SqlStore, stage: str | None, recipients: int
) -> None:
    await add_users(store)
    result = await store.draft_broadcast(STAFF, stage, "Good luck!", NOW)
    assert (result.stage, result.text, result.recipients) == (stage, "Good luck!", recipients)
    row = await broadcast_row(store, result.id)
    assert (row["staff_id"], row["stage"], row["status"]) == (STAFF, stage, "draft")
    assert await deliveries(store) == []


async def test_draft_with_no_recipients(store: SqlStore) -> None:
    await add_users(store)
    assert (await store.draft_broadcast(STAFF, "results", "Results are out", NOW)).recipients == 0


async def test_draft_is_audited(store: SqlStore) -> None:
    await add_users(store)
    first = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    second = await store.draft_broadcast(STAFF, None, "x" * 500, NOW)
    assert await actions(store) == [
        (STAFF, "broadcast drafted", f"#{first.id} to interview: Good luck!"),
        (STAFF, "broadcast drafted", f"#{second.id} to all: " + "x" * 200),
    ]
    [latest, _] = await store.audit_log()
    assert latest.at == NOW


# -- confirm and cancel ----------------------------------------------------------------


async def test_confirm_queues_one_delivery_per_active_recipient_at_the_stage(
    store: SqlStore,
) -> None:
    await add_users(store)
    new = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 2
    assert await deliveries(store) == [
        (1, 1001, new.id, "pending", "Good luck!"),
        (2, 1002, new.id, "pending", "Good luck!"),
    ]
    assert await store.due_ids(NOW, 10) != []
    row = await broadcast_row(store, new.id)
    assert (row["status"], row["recipients"], row["confirmed_at"]) == (
        "sending",
        2,
        to_epoch(NOW),
    )
    assert (await actions(store))[-1] == (STAFF, "broadcast confirmed", f"#{new.id} to 2")


async def test_confirm_to_everyone(store: SqlStore) -> None:
    await add_users(store)
    new = await store.draft_broadcast(STAFF, None, "Hello all", NOW)
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 4
    assert [row[0] for row in await deliveries(store)] == [1, 2, 4, 5]


async def test_confirm_counts_recipients_as_they_are_when_confirmed(store: SqlStore) -> None:
    await add_users(store)
    new = await store.draft_broadcast(STAFF, "apply", "Deadline soon", NOW)
    await store.set_stage(1, "apply", None, None, [], NOW)
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 2
    assert [row[0] for row in await deliveries(store)] == [1, 4]


async def test_confirming_twice_queues_nothing_more(store: SqlStore) -> None:
    await add_users(store)
    new = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 2
    assert await store.confirm_broadcast(new.id, STAFF, NOW) is None
    assert len(await deliveries(store)) == 2
    assert [a for _, a, _ in await actions(store)].count("broadcast confirmed") == 1


async def test_confirm_after_cancel_queues_nothing(store: SqlStore) -> None:
    await add_users(store)
    new = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    assert await store.cancel_broadcast(new.id, STAFF, NOW) is True
    assert await store.confirm_broadcast(new.id, STAFF, NOW) is None
    assert await deliveries(store) == []
    assert (await broadcast_row(store, new.id))["status"] == "cancelled"
    assert (await actions(store))[-1] == (STAFF, "broadcast cancelled", f"#{new.id}")


async def test_cancel_twice_or_after_confirm_does_nothing(store: SqlStore) -> None:
    await add_users(store)
    first = await store.draft_broadcast(STAFF, "interview", "one", NOW)
    second = await store.draft_broadcast(STAFF, "interview", "two", NOW)
    assert await store.cancel_broadcast(first.id, STAFF, NOW) is True
    assert await store.cancel_broadcast(first.id, STAFF, NOW) is False
    assert await store.confirm_broadcast(second.id, STAFF, NOW) == 2
    assert await store.cancel_broadcast(second.id, STAFF, NOW) is False
    assert (await broadcast_row(store, second.id))["status"] == "sending"
    assert [a for _, a, _ in await actions(store)].count("broadcast cancelled") == 1


async def test_only_the_drafting_staff_member_can_confirm_or_cancel(store: SqlStore) -> None:
    await add_users(store)
    new = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    assert await store.confirm_broadcast(new.id, OTHER_STAFF, NOW) is None
    assert await store.cancel_broadcast(new.id, OTHER_STAFF, NOW) is False
    assert await deliveries(store) == []
    assert (await broadcast_row(store, new.id))["status"] == "draft"
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 2


async def test_confirming_an_unknown_broadcast(store: SqlStore) -> None:
    assert await store.confirm_broadcast(12345, STAFF, NOW) is None
    assert await store.cancel_broadcast(12345, STAFF, NOW) is False


# -- finish and the report ----------------------------------------------------------------


async def confirmed(store: SqlStore) -> int:
    await add_users(
        store,
        {
            1: ("interview", True),
            2: ("interview", True),
            3: ("interview", True),
            4: ("interview", True),
        },
    )
    new = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 4
    return new.id


async def test_finish_waits_for_pending_and_sending_deliveries(store: SqlStore) -> None:
    broadcast_id = await confirmed(store)
    assert await finish(store, NOW) == []
    [claimed, *_] = await store.claim_due(WORKER, NOW, 1)
    await store.mark_sent(claimed.id, WORKER, NOW)
    await store.claim_due(WORKER, NOW, 1)  # one left 'sending'
    assert await finish(store, NOW) == []
    assert (await broadcast_row(store, broadcast_id))["status"] == "sending"
    assert await deliveries(store, Kind.NOTICE) == []


async def test_finish_reports_once_with_sent_blocked_and_failed(store: SqlStore) -> None:
    broadcast_id = await confirmed(store)
    await settle(store, {1: "sent", 2: "sent", 3: "blocked", 4: "failed"})
    later = NOW + timedelta(minutes=5)
    assert await finish(store, later) == [Report(broadcast_id, STAFF, 2, 1, 1)]
    row = await broadcast_row(store, broadcast_id)
    assert (row["status"], row["finished_at"]) == ("done", to_epoch(later))
    text = f"Broadcast #{broadcast_id} finished: 2 sent, 1 blocked the bot, 1 failed."
    assert await deliveries(store, Kind.NOTICE) == [(STAFF, STAFF, None, "pending", text)]
    assert await finish(store, later) == []
    assert len(await deliveries(store, Kind.NOTICE)) == 1


async def test_report_notice_is_delivered_through_the_queue(store: SqlStore) -> None:
    broadcast_id = await confirmed(store)
    await settle(store, dict.fromkeys(range(1, 5), "sent"))
    [report] = await finish(store, NOW)
    assert report == Report(broadcast_id, STAFF, 4, 0, 0)
    [notice] = await store.claim_due(WORKER, NOW, 10)
    assert (notice.kind, notice.user_id, notice.chat_id) == (Kind.NOTICE, STAFF, STAFF)
    assert notice.text == report_text(report)


async def test_finish_of_a_broadcast_to_nobody(store: SqlStore) -> None:
    new = await store.draft_broadcast(STAFF, "interview", "Anyone?", NOW)
    assert await store.confirm_broadcast(new.id, STAFF, NOW) == 0
    assert await finish(store, NOW) == [Report(new.id, STAFF, 0, 0, 0)]
    assert len(await deliveries(store, Kind.NOTICE)) == 1


async def test_finish_ignores_drafts_and_cancelled(store: SqlStore) -> None:
    await add_users(store)
    await store.draft_broadcast(STAFF, None, "a draft", NOW)
    gone = await store.draft_broadcast(STAFF, None, "cancelled", NOW)
    await store.cancel_broadcast(gone.id, STAFF, NOW)
    assert await finish(store, NOW) == []
    assert await deliveries(store, Kind.NOTICE) == []


# -- scheduled announcements ----------------------------------------------------------------


async def test_future_announcement_is_not_released(store: SqlStore) -> None:
    await add_users(store)
    base = kb(announcement(NOW + timedelta(minutes=1)))
    assert await release_announcements(store, base, NOW) == []
    assert await deliveries(store) == []
    assert await store.fetch("SELECT * FROM broadcasts") == []
    assert await release_announcements(store, base, NOW + timedelta(minutes=1)) == [
        "open-day-2027"
    ]


async def test_due_announcement_is_queued_once(store: SqlStore) -> None:
    await add_users(store)
    base = kb(announcement(NOW - timedelta(minutes=5)))
    assert await release_announcements(store, base, NOW) == ["open-day-2027"]
    queued = await deliveries(store)
    assert [row[0] for row in queued] == [1, 2, 4, 5]
    assert {row[4] for row in queued} == {"The open day starts in one hour."}
    assert await release_announcements(store, base, NOW + timedelta(seconds=1)) == []
    reloaded = kb(replace(announcement(NOW - timedelta(minutes=5)), text="Edited text"))
    assert await release_announcements(store, reloaded, NOW + timedelta(minutes=1)) == []
    assert await deliveries(store) == queued
    [(staff, action, detail)] = await actions(store)
    assert (staff, action, detail) == (SYSTEM, "announcement sent", "open-day-2027 to 4")


async def test_announcement_just_within_the_grace_is_sent(store: SqlStore) -> None:
    await add_users(store)
    base = kb(announcement(NOW - ANNOUNCEMENT_GRACE))
    assert await release_announcements(store, base, NOW) == ["open-day-2027"]
    assert len(await deliveries(store)) == 4


async def test_late_announcement_is_skipped(store: SqlStore) -> None:
    await add_users(store)
    base = kb(announcement(NOW - ANNOUNCEMENT_GRACE - timedelta(seconds=1)))
    assert await release_announcements(store, base, NOW) == []
    assert await deliveries(store) == []
    [row] = await store.fetch("SELECT status, announcement, staff_id FROM broadcasts")
    assert tuple(row) == ("skipped", "open-day-2027", SYSTEM)
    assert await release_announcements(store, base, NOW + timedelta(hours=1)) == []
    assert await deliveries(store) == []
    assert await finish(store, NOW) == []


async def test_announcement_stage_limits_recipients(store: SqlStore) -> None:
    await add_users(store)
    base = kb(
        announcement(NOW - timedelta(minutes=1), stage="interview"),
        announcement(NOW - timedelta(minutes=1), stage="apply", ident="apply-deadline"),
    )
    assert await release_announcements(store, base, NOW) == ["open-day-2027", "apply-deadline"]
    rows = await store.fetch(
        "SELECT r.user_id, b.announcement FROM reminders r JOIN broadcasts b "
        "ON b.id = r.broadcast_id ORDER BY r.user_id"
    )
    assert [tuple(row) for row in rows] == [
        (1, "open-day-2027"),
        (2, "open-day-2027"),
        (4, "apply-deadline"),
    ]


async def test_finished_announcement_reports_to_no_one(store: SqlStore) -> None:
    await add_users(store)
    await release_announcements(store, kb(announcement(NOW)), NOW)
    await settle(store, {1: "sent", 2: "sent", 4: "blocked", 5: "sent"})
    [report] = await finish(store, NOW)
    assert (report.staff_id, report.sent, report.blocked, report.failed) == (SYSTEM, 3, 1, 0)
    assert await deliveries(store, Kind.NOTICE) == []
    assert await store.get_user(SYSTEM) is None


# -- staff notices ---------------------------------------------------------------------------


async def test_notify_staff_queues_one_notice_each_and_creates_missing_users(
    store: SqlStore,
) -> None:
    await store.touch_user(STAFF, 4242, NOW - timedelta(days=3))
    await store.notify_staff(sorted({STAFF, OTHER_STAFF}), "Reload failed", NOW)
    assert await deliveries(store, Kind.NOTICE) == [
        (STAFF, STAFF, None, "pending", "Reload failed"),
        (OTHER_STAFF, OTHER_STAFF, None, "pending", "Reload failed"),
    ]
    known = await store.get_user(STAFF)
    assert known is not None
    assert known.chat_id == 4242
    assert known.last_seen_at == NOW - timedelta(days=3)
    created = await store.get_user(OTHER_STAFF)
    assert created is not None
    assert (created.chat_id, created.active, created.created_at) == (OTHER_STAFF, True, NOW)


async def test_notify_no_staff_queues_nothing(store: SqlStore) -> None:
    await store.notify_staff([], "Reload failed", NOW)
    assert await deliveries(store, Kind.NOTICE) == []
    assert await store.fetch("SELECT * FROM users") == []


async def test_long_notice_is_cut_to_a_telegram_message(store: SqlStore) -> None:
    await store.notify_staff(sorted({STAFF}), "x" * 5000, NOW)
    [(_, _, _, _, text)] = await deliveries(store, Kind.NOTICE)
    assert len(text) == 4000


async def test_audit_records_who_what_when(store: SqlStore) -> None:
    await store.audit(STAFF, "reload", "23 topics", NOW)
    assert await store.audit_log() == [AuditEntry(NOW, STAFF, "reload", "23 topics")]


# -- deliveries are not the users' reminders ---------------------------------------------------


async def test_broadcasts_and_notices_are_not_in_a_users_reminders(store: SqlStore) -> None:
    await add_users(store)
    [own] = await store.add_reminders(
        [NewReminder(1, 1001, "Bring passport", NOW + timedelta(days=1), "UTC")], NOW
    )
    new = await store.draft_broadcast(STAFF, "interview", "Good luck!", NOW)
    await store.confirm_broadcast(new.id, STAFF, NOW)
    await release_announcements(store, kb(announcement(NOW)), NOW)
    await store.notify_staff(sorted({1}), "You are staff too", NOW)
    kinds = [row[0] for row in await store.fetch("SELECT kind FROM reminders WHERE user_id = 1")]
    assert sorted(kinds) == ["broadcast", "broadcast", "notice", "reminder"]
    every_status = tuple(Status)
    assert [r.id for r in await store.user_reminders(1)] == [own]
    assert [r.id for r in await store.user_reminders(1, every_status)] == [own]
    assert await store.user_reminders(2, every_status) == []
    others = await store.fetch("SELECT id FROM reminders WHERE user_id = 1 AND id != ?", (own,))
    for (reminder_id,) in others:
        assert await store.cancel(1, reminder_id) is False


def test_report_text() -> None:
    assert report_text(Report(7, STAFF, 10, 2, 1)) == (
        "Broadcast #7 finished: 10 sent, 2 blocked the bot, 1 failed."
    )


async def test_a_broadcast_a_user_blocked_is_not_sent_when_they_return(store: SqlStore) -> None:
    broadcast_id = await confirmed(store)  # users 1-4
    await settle(store, {1: "sent", 2: "blocked", 3: "sent", 4: "sent"})
    await store.touch_user(2, 1002, NOW + timedelta(days=3))  # they unblock and write
    statuses = [row[3] for row in await deliveries(store) if row[0] == 2]
    assert statuses == [Status.BLOCKED]
    [report] = await finish(store, NOW)
    assert (report.broadcast_id, report.sent, report.blocked) == (broadcast_id, 3, 1)
