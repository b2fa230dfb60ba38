"""The help desk's sentences: for applicants asking a person, and for staff answering.

Messages about a ticket begin with a marker and its number ("🎫 Ticket #12",
"📨 Question #12", "💬 Answer ... · question #12"). A Telegram reply to such a
message carries its text back, so the number is read from there: defined here
once, and read strictly (the marker must open the message).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import escape

from bot import timebase
from bot.knowledge import KnowledgeBase
from bot.office_hours import OfficeHours
from bot.replies import Button, Reply, button, note, plain, problem
from bot.replies.buttons import AskPerson, CloseTicket, DropTicket, SendTicket, TicketToKb
from bot.replies.understood import ASK_THE_EMBASSY
from bot.store import Refusal, Ticket, TicketDraft, TicketStatus

STAFF_MARK = "🎫 Ticket #"
SENT_MARK = "📨 Question #"
ANSWER_MARK = "💬 Answer from "
STAFF_REF = re.compile(r"🎫 Ticket #([0-9]{1,18})\b")
APPLICANT_REF = re.compile(
    r"(?:📨 Question #|💬 Answer from [^\n]{1,80} · question #)([0-9]{1,18})\b"
)
ASK_PERSON = "🙋 Ask a person"
CLOSE = "✖️ Close"
TO_KB = "📚 Add to knowledge base"
MAX_LISTED = 20
CLOSE_BUTTONS = 8

HUMAN_USAGE = (
    "What would you like to ask the office? Send /human followed by your question, "
    "e.g. /human Can I apply while I live in Japan?"
)
DESK_OFF = "I can't pass questions on to a person here. " + ASK_THE_EMBASSY
CLOSE_USAGE = "Which ticket? e.g. /close 12 (numbers are in /tickets)."


def ticket_ref(text: str | None, pattern: re.Pattern[str] = STAFF_REF) -> int | None:
    """The ticket number a message of ours opens with; None for any other message."""
    if not text:
        return None
    match = pattern.match(plain(text))
    return int(match[1]) if match else None


def applicant_ref(text: str | None) -> int | None:
    return ticket_ref(text, APPLICANT_REF)


def ask_row() -> tuple[Button, ...]:
    return (button(ASK_PERSON, AskPerson()),)


def with_ask_person(reply: Reply) -> Reply:
    return Reply(reply.text, (*reply.buttons, ask_row()))


# -- applicants ------------------------------------------------------------------------


def confirm_draft(draft: TicketDraft, office: str) -> Reply:
    text = (
        f"I'll pass this question on to {escape(office)}:\n\n<i>{escape(draft.question)}</i>\n\n"
        "Your name is not shared unless you choose to. To ask something else instead, "
        "send /human followed by your question."
    )
    return Reply(
        text,
        (
            (button("📨 Send", SendTicket(draft.id, False)),),
            (button("📨 Send with my name", SendTicket(draft.id, True)),),
            (button("Cancel", DropTicket(draft.id)),),
        ),
    )


def when_staff_answer(hours: OfficeHours | None, now: datetime) -> str:
    if hours is None:
        return "Staff usually answer within a few working days."
    if hours.is_open(now):
        return f"The office is open now ({escape(hours.text)}), so you may hear back soon."
    opening = hours.next_opening(now)
    local = opening.astimezone(hours.zone).strftime("%a %d %b %H:%M")
    return (
        f"Staff answer during office hours ({escape(hours.text)}); the office next opens "
        f"{local} ({escape(hours.zone.key)} time), {escape(within(opening - now))}."
    )


def within(delay: timedelta) -> str:
    hours = delay.total_seconds() / 3600
    if hours < 1:
        return "within the hour"
    if hours < 48:
        return f"in about {round(hours)} hour{'s' if round(hours) != 1 else ''}"
    return f"in about {round(hours / 24)} days"


def passed_on(ticket: Ticket, office: str, hours: OfficeHours | None, now: datetime) -> Reply:
    return Reply(
        f"{SENT_MARK}{ticket.id} passed on to {escape(office)}.\n\n"
        f"{when_staff_answer(hours, now)} The answer will arrive in this chat.\n\n"
        "<i>To add something to your question, reply to this message.</i>"
    )


def refused(refusal: Refusal, limit: int) -> Reply:
    if refusal is Refusal.TOO_MANY:
        return problem(
            f"You already have {limit} questions open with the office; please wait for their "
            "answers before asking another."
        )
    return note("That question is no longer here. Send /human followed by your question.")


def dropped() -> Reply:
    return note("OK, I haven't passed anything on.")


def office_answer(ticket: Ticket, text: str, office: str) -> str:
    """An answer as the applicant gets it: signed by the office, never by a person."""
    return (
        f"{ANSWER_MARK}{escape(office)} · question #{ticket.id}\n\n{escape(text)}\n\n"
        "<i>Reply to this message to add to your question.</i>"
    )


def addition_sent(ticket: Ticket) -> Reply:
    return note(f"Added to your question #{ticket.id}; the office will see it.")


def addition_refused(ticket_id: int) -> Reply:
    return note(
        f"Your question #{ticket_id} is closed, so I can't add to it. "
        "To ask something new, send /human followed by your question."
    )


def ticket_lines(tickets: list[Ticket], now: datetime) -> list[str]:
    return [
        f"• #{t.id} · {age(now - t.opened_at)} · {t.status.value}: {excerpt(t.question, 80)}"
        for t in tickets
    ]


# -- staff -----------------------------------------------------------------------------


def staff_post(ticket: Ticket, kb: KnowledgeBase, office: str) -> str:
    """A new ticket as the staff chat sees it: the question, stage and best guess; no name
    unless the applicant chose to share it."""
    stage = kb.stage(ticket.stage) if ticket.stage else None
    guess = kb.topics.get(ticket.guess) if ticket.guess else None
    who = escape(ticket.name) if ticket.name else "an applicant (name not shared)"
    lines = [
        f"{STAFF_MARK}{ticket.id}",
        f"From: {who}",
        f"Stage: {escape(stage.title if stage else ticket.stage or 'not set')}",
        "Bot's best guess: "
        + (f"{escape(guess.title)} ({escape(guess.id)})" if guess else "none"),
        "",
        f"<b>{escape(ticket.question)}</b>",
        "",
        f"<i>Reply to this message to answer; the applicant sees it signed by "
        f"{escape(office)}.</i>",
    ]
    return "\n".join(lines)


def staff_addition(ticket: Ticket, text: str) -> str:
    return (
        f"{STAFF_MARK}{ticket.id} · the applicant adds:\n\n<b>{escape(text)}</b>\n\n"
        "<i>Reply to this message to answer.</i>"
    )


def ticket_buttons(ticket_id: int) -> tuple[tuple[Button, ...], ...]:
    return ((button(CLOSE, CloseTicket(ticket_id)),),)


def answer_sent(ticket: Ticket, office: str) -> Reply:
    return Reply(
        f"✅ Ticket #{ticket.id}: your answer is on its way to the applicant, signed by "
        f"{escape(office)}. Add it to the knowledge base so that I can answer it next time?",
        (
            (button(TO_KB, TicketToKb(ticket.id)),),
            (button(CLOSE, CloseTicket(ticket.id)),),
        ),
    )


def answer_refused(ticket_id: int, ticket: Ticket | None) -> Reply:
    if ticket is None:
        return note(f"Ticket #{ticket_id} no longer exists (the applicant deleted their data).")
    return note(f"Ticket #{ticket_id} is closed; the applicant was not sent this.")


def answer_too_long(limit: int) -> Reply:
    return problem(f"Keep the answer under {limit} characters; nothing was sent.")


def closed(ticket_id: int, done: bool) -> Reply:
    if done:
        return note(f"Ticket #{ticket_id} closed.")
    return note(f"Ticket #{ticket_id} is not open (closed already, or it does not exist).")


def ticket_list(tickets: list[Ticket], now: datetime) -> Reply:
    if not tickets:
        return note("No open tickets.")
    waiting = sum(t.status is TicketStatus.OPEN for t in tickets)
    shown = tickets[:MAX_LISTED]
    more = f"\n… and {len(tickets) - len(shown)} more" if len(tickets) > len(shown) else ""
    text = (
        f"Open tickets: {len(tickets)} ({waiting} waiting for a first answer), oldest first:\n"
        + "\n".join(ticket_lines(shown, now))
        + more
    )
    rows = tuple((button(f"{CLOSE} #{t.id}", CloseTicket(t.id)),) for t in shown[:CLOSE_BUTTONS])
    return Reply(text, rows)


def chat_id_reply(chat_id: int, configured: int | None) -> Reply:
    if configured == chat_id:
        return note(f"This chat's id is {chat_id}. It is the staff chat: tickets arrive here.")
    return note(
        f"This chat's id is {chat_id}. To make it the staff chat, set "
        f"JETBOT_STAFF_CHAT_ID={chat_id} and restart the bot."
    )


def age(delay: timedelta) -> str:
    minutes = int(delay.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def excerpt(text: str, limit: int) -> str:
    return escape(timebase.excerpt(text, limit))
