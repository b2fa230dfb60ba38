"""The help desk's sentences: ticket numbers read back strictly, times, no markup leaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.office_hours import parse_office_hours
from bot.replies import plain
from bot.replies import tickets as say
from bot.replies.pushes import compose
from bot.store import Kind, Refusal, Reminder, Status, Ticket, TicketDraft, TicketStatus
from tests.conftest import NOW

TICKET = Ticket(12, 5, 5, "Is <b>this</b> & that ok?", None, None, None, TicketStatus.OPEN,
                NOW, None, None)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("🎫 Ticket #12\nFrom: an applicant", 12),
        ("<b>🎫 Ticket #7</b> · the applicant adds:", 7),
        ("🎫 Ticket #12345678901", 12345678901),
        ("Re: 🎫 Ticket #12", None),
        ("✅ Ticket #12: your answer is on its way", None),
        ("🎫 Ticket #", None),
        ("", None),
        (None, None),
    ],
)
def test_a_staff_message_names_its_ticket_only_at_its_start(
    text: str | None, number: int | None
) -> None:
    assert say.ticket_ref(text) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("📨 Question #3 passed on to the office.", 3),
        ("💬 Answer from the Embassy of Japan · question #4\n\nYes.", 4),
        ("🎫 Ticket #3", None),
        ("Yes 📨 Question #3", None),
    ],
)
def test_an_applicant_message_names_its_ticket(text: str, number: int | None) -> None:
    assert say.applicant_ref(text) == number


def test_what_people_type_is_never_markup() -> None:
    post = say.staff_post(TICKET, kb_without_stages(), "the <office>")
    assert "&lt;b&gt;this&lt;/b&gt; &amp; that" in post
    assert "the &lt;office&gt;" in post
    answer = say.office_answer(TICKET, "<i>yes</i>", "the office")
    assert "&lt;i&gt;yes&lt;/i&gt;" in answer
    draft = say.confirm_draft(TicketDraft(9, 5, "<script>", None, NOW), "the office")
    assert "&lt;script&gt;" in draft.text


def kb_without_stages():  # type: ignore[no-untyped-def]
    from bot.config import BUNDLED_KNOWLEDGE
    from bot.knowledge import load_knowledge

    return load_knowledge(BUNDLED_KNOWLEDGE)


def test_the_post_shows_stage_and_guess_by_their_titles() -> None:
    kb = kb_without_stages()
    stage = kb.stages[0]
    topic = next(iter(kb.topics.values()))
    ticket = Ticket(1, 5, 5, "q", stage.id, topic.id, "Anna", TicketStatus.OPEN, NOW, None, None)
    post = plain(say.staff_post(ticket, kb, "the office"))
    assert f"Stage: {stage.title}" in post
    assert f"Bot's best guess: {topic.title} ({topic.id})" in post
    assert "From: Anna" in post


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2027, 1, 11, 10, 0, tzinfo=UTC), "The office is open now"),
        (
            datetime(2027, 1, 8, 18, 0, tzinfo=UTC),
            "the office next opens Mon 11 Jan 09:00 (UTC time), in about 3 days",
        ),
        (
            datetime(2027, 1, 11, 7, 0, tzinfo=UTC),
            "the office next opens Mon 11 Jan 09:00 (UTC time), in about 2 hours",
        ),
    ],
)
def test_when_staff_answer(now: datetime, expected: str) -> None:
    hours = parse_office_hours("Mon-Fri 09:00-17:00 UTC")
    assert expected in say.when_staff_answer(hours, now)
    assert "few working days" in say.when_staff_answer(None, now)


@pytest.mark.parametrize(
    ("delay", "text"),
    [(timedelta(minutes=5), "5 min"), (timedelta(hours=5), "5 h"), (timedelta(days=3), "3 d")],
)
def test_ages(delay: timedelta, text: str) -> None:
    assert say.age(delay) == text


def test_refusals() -> None:
    assert "3 questions open" in plain(say.refused(Refusal.TOO_MANY, 3).text)
    assert "no longer here" in plain(say.refused(Refusal.GONE, 3).text)


def test_ticket_list_offers_close_buttons() -> None:
    reply = say.ticket_list([TICKET], NOW + timedelta(hours=1))
    assert "#12 · 1 h · open: Is &lt;b&gt;this" in reply.text
    [[close]] = reply.buttons
    assert close.data == "dc:12"


def row(kind: Kind, text: str, ticket: int | None = 12) -> Reminder:
    return Reminder(1, 5, -100, text, NOW, None, "UTC", None, Status.SENDING, NOW, 1, None,
                    None, kind=kind, ticket_id=ticket)  # fmt: skip


def test_desk_messages_leave_the_outbox_as_worded() -> None:
    post = compose(row(Kind.TICKET, "🎫 Ticket #12\n<b>q</b>"), NOW)
    assert post.text == "🎫 Ticket #12\n<b>q</b>"
    assert [[b.data for b in r] for r in post.buttons] == [["dc:12"]]
    answer = compose(row(Kind.ANSWER, "💬 <i>a</i>"), NOW + timedelta(hours=5))
    assert (answer.text, answer.buttons) == ("💬 <i>a</i>", ())
