"""Tickets in the store: drafts, the limit, threads, outbox rows, /forget, figures."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Kind, Refusal, SqlStore, Ticket, TicketStatus
from tests.store.helpers import NOW

USER = 11
STAFF = 900
STAFF_CHAT = -1001
LATER = NOW + timedelta(minutes=30)


def post(ticket: Ticket) -> str:
    return f"🎫 Ticket #{ticket.id}: {ticket.question}"


async def opened(
    store: SqlStore, question: str = "Can I bring my cat?", user: int = USER
) -> Ticket:
    draft = await store.save_ticket_draft(user, user, question, "programme.life", NOW)
    ticket = await store.open_ticket(user, draft, None, 3, STAFF_CHAT, post, NOW)
    assert isinstance(ticket, Ticket)
    return ticket


async def outbox(store: SqlStore) -> list[tuple[str, int, str, int]]:
    rows = await store.fetch("SELECT kind, chat_id, text, ticket_id FROM reminders ORDER BY id")
    return [(str(r[0]), int(r[1]), str(r[2]), int(r[3])) for r in rows]


async def test_a_draft_keeps_only_the_latest_question(store: SqlStore) -> None:
    first = await store.save_ticket_draft(USER, USER, "first", None, NOW)
    second = await store.save_ticket_draft(USER, USER, "second", "roles.alt", NOW)
    assert first != second, "a new id: a confirmation of the first cannot send the second"
    draft = await store.ticket_draft(USER)
    assert draft is not None
    assert (draft.id, draft.question, draft.guess) == (second, "second", "roles.alt")
    assert await store.open_ticket(USER, first, None, 3, STAFF_CHAT, post, NOW) is Refusal.GONE


async def test_a_draft_creates_the_user_it_needs(store: SqlStore) -> None:
    await store.save_ticket_draft(USER, USER, "question", None, NOW)
    assert await store.get_user(USER) is not None


async def test_opening_queues_the_post_to_the_staff_chat_with_the_ticket(store: SqlStore) -> None:
    await store.touch_user(USER, USER, NOW)
    await store.set_stage(USER, "interview", None, None, [], NOW)
    ticket = await opened(store)
    assert ticket.status is TicketStatus.OPEN
    assert (ticket.stage, ticket.guess, ticket.name) == ("interview", "programme.life", None)
    assert await outbox(store) == [
        ("ticket", STAFF_CHAT, f"🎫 Ticket #{ticket.id}: Can I bring my cat?", ticket.id)
    ]
    assert await store.ticket_draft(USER) is None, "the draft is used up"
    assert await store.open_ticket(USER, 1, None, 3, STAFF_CHAT, post, NOW) is Refusal.GONE
    [row] = await store.claim_due("w", NOW, 10)
    assert (row.kind, row.ticket_id, row.user_id) == (Kind.TICKET, ticket.id, USER)


async def test_a_name_is_kept_only_when_given(store: SqlStore) -> None:
    draft = await store.save_ticket_draft(USER, USER, "q", None, NOW)
    ticket = await store.open_ticket(USER, draft, "Anna (@anna)", 3, STAFF_CHAT, post, NOW)
    assert isinstance(ticket, Ticket)
    assert ticket.name == "Anna (@anna)"


async def test_at_most_the_limit_of_live_tickets(store: SqlStore) -> None:
    tickets = [await opened(store, f"question {n}") for n in range(3)]
    draft = await store.save_ticket_draft(USER, USER, "one more", None, NOW)
    assert await store.open_ticket(USER, draft, None, 3, STAFF_CHAT, post, NOW) is Refusal.TOO_MANY
    assert await store.close_ticket(tickets[0].id, STAFF, NOW) is not None
    assert isinstance(await store.open_ticket(USER, draft, None, 3, STAFF_CHAT, post, NOW), Ticket)


async def test_an_answer_goes_to_the_applicant_and_the_thread(store: SqlStore) -> None:
    ticket = await opened(store)
    answered = await store.answer_ticket(ticket.id, STAFF, "Yes.", lambda t: "💬 Yes.", LATER)
    assert answered is not None
    assert answered.status is TicketStatus.ANSWERED
    assert answered.answered_at == LATER
    again = await store.answer_ticket(
        ticket.id, STAFF, "More.", lambda t: "💬 More.", LATER + timedelta(hours=1)
    )
    assert again is not None
    assert again.answered_at == LATER, "the first answer's time is kept"
    rows = await outbox(store)
    assert rows[1:] == [
        ("answer", USER, "💬 Yes.", ticket.id),
        ("answer", USER, "💬 More.", ticket.id),
    ]
    thread = await store.ticket_thread(ticket.id)
    assert [(m.author, m.text) for m in thread] == [
        ("applicant", "Can I bring my cat?"),
        ("staff", "Yes."),
        ("staff", "More."),
    ]
    [entry, *_] = await store.audit_log()
    assert (entry.staff_id, entry.action, entry.detail) == (
        STAFF,
        "ticket answered",
        f"#{ticket.id}",
    )


async def test_the_applicant_adds_to_their_own_live_ticket_only(store: SqlStore) -> None:
    ticket = await opened(store)
    other = await opened(store, "theirs", user=12)
    added = await store.add_to_ticket(ticket.id, USER, "and my dog", STAFF_CHAT, post, NOW)
    assert added is not None
    assert await store.add_to_ticket(other.id, USER, "x", STAFF_CHAT, post, NOW) is None
    await store.close_ticket(ticket.id, STAFF, NOW)
    assert await store.add_to_ticket(ticket.id, USER, "y", STAFF_CHAT, post, NOW) is None
    assert [m.text for m in await store.ticket_thread(ticket.id)][-1] == "and my dog"


async def test_a_closed_ticket_takes_no_answer_and_closes_once(store: SqlStore) -> None:
    ticket = await opened(store)
    closed = await store.close_ticket(ticket.id, STAFF, LATER)
    assert closed is not None
    assert closed.status is TicketStatus.CLOSED
    assert await store.close_ticket(ticket.id, STAFF, LATER) is None
    assert await store.answer_ticket(ticket.id, STAFF, "late", lambda t: "x", LATER) is None
    assert len(await outbox(store)) == 1
    assert await store.live_tickets(10) == []


async def test_live_tickets_oldest_first(store: SqlStore) -> None:
    first = await opened(store, "first")
    second = await opened(store, "second", user=12)
    await store.answer_ticket(first.id, STAFF, "a", lambda t: "a", LATER)
    assert [t.id for t in await store.live_tickets(10)] == [first.id, second.id]
    assert [t.id for t in await store.user_tickets(12)] == [second.id]


async def test_forget_deletes_tickets_threads_drafts_and_their_messages(store: SqlStore) -> None:
    ticket = await opened(store)
    await store.answer_ticket(ticket.id, STAFF, "Yes.", lambda t: "Yes.", LATER)
    await store.save_ticket_draft(USER, USER, "another", None, NOW)
    kept = await opened(store, "someone else's", user=12)
    assert await store.delete_user(USER)
    assert await store.get_ticket(ticket.id) is None
    assert await store.ticket_thread(ticket.id) == []
    assert await store.ticket_draft(USER) is None
    assert [row[3] for row in await outbox(store)] == [kept.id]
    assert await store.get_ticket(kept.id) is not None


async def test_figures_count_tickets_and_the_median_first_answer(store: SqlStore) -> None:
    tickets = [await opened(store, f"q{n}", user=20 + n) for n in range(3)]
    for ticket, minutes in zip(tickets[:2], (10, 30), strict=True):
        at = NOW + timedelta(minutes=minutes)
        await store.answer_ticket(ticket.id, STAFF, "a", lambda t: "a", at)
    figures = await store.ticket_figures()
    assert (figures.opened, figures.answered, figures.median_first_answer) == (3, 2, 1200.0)
    assert (await store.stats(NOW)).tickets == figures


async def test_start_sources_are_counted_without_anyone(store: SqlStore) -> None:
    for source in ("poster2027", "fair", "poster2027"):
        await store.count_start(source, NOW)
    assert await store.start_sources() == [("poster2027", 2), ("fair", 1)]
    assert (await store.stats(NOW)).sources == [("poster2027", 2), ("fair", 1)]
    [row] = await store.fetch("SELECT * FROM start_sources WHERE source = 'fair'")
    assert set(row.keys()) == {"source", "starts", "first_at", "last_at"}


async def test_old_drafts_are_purged(store: SqlStore) -> None:
    await store.save_ticket_draft(USER, USER, "old", None, NOW - timedelta(days=2))
    await store.save_ticket_draft(12, 12, "new", None, NOW)
    assert await store.purge_ticket_drafts(NOW - timedelta(days=1)) == 1
    assert await store.ticket_draft(12) is not None
