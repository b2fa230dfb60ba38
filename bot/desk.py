"""The help desk: when the bot cannot help, a person can.

An applicant passes a question on (the last one the bot could not answer, or
one typed after /human); it becomes a ticket, posted to the staff chat. Staff
answer by replying to that post; the answer reaches the applicant signed by the
office. Either side may add to the thread until staff close the ticket. Every
message this causes is an outbox row written with the change (bot/store/tickets.py),
delivered by the push sender.

Nothing personal is logged: ticket numbers only, never a question, an answer or
a name. The applicant's name travels only when they press "Send with my name".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot.answers import Answers
from bot.asking import Asked
from bot.clock import Clock, utc_now
from bot.desk_settings import DeskSettings
from bot.recorder import Recorder
from bot.replies import Reply, note, problem
from bot.replies import tickets as say
from bot.store import Refusal, Store
from bot.text import printable_lines
from bot.understanding import Kind, Understanding, understand

logger = logging.getLogger(__name__)

# What the bot could not (fully) answer: worth asking a person.
OFFERED = (Kind.FALLBACK, Kind.SUGGEST, Kind.PARTIAL)
MAX_OPEN = 3  # open tickets per applicant: each one is work for a person
MAX_QUESTION = 1000
MAX_ANSWER = 3000  # with the header, within Telegram's 4,096 characters
DRAFT_LIFE = timedelta(hours=24)
MAX_NAME = 100
WRITE_WAIT = 2.0  # seconds a press waits for the background writes to land


def guess_of(understood: Understanding) -> str | None:
    """The topic the bot thought closest, for staff to see."""
    if understood.topics:
        return understood.topics[0]
    return understood.best_guess or next(iter(understood.suggestions), None)


class Desk:
    def __init__(
        self,
        store: Store,
        answers: Answers,
        settings: DeskSettings,
        wake: Callable[[], None],
        recorder: Recorder | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = store
        self.answers = answers
        self.settings = settings
        self.wake = wake
        self.recorder = recorder
        self.clock = clock

    @property
    def enabled(self) -> bool:
        return self.settings.staff_chat_id is not None

    @property
    def office(self) -> str:
        return self.settings.office_name

    def is_staff_chat(self, chat_id: int) -> bool:
        return self.enabled and chat_id == self.settings.staff_chat_id

    # -- the offer under an answer ------------------------------------------------------

    def offer(self, asked: Asked, chat: str) -> Asked:
        """Add "Ask a person" under what the bot could not answer in a private chat, and
        keep the question (in the background) so that the button can pass it on."""
        user_id = int(chat) if chat.lstrip("-").isdigit() else 0
        if not self.enabled or user_id <= 0 or asked.understood.kind not in OFFERED:
            return asked
        question = printable_lines(asked.question)[:MAX_QUESTION]
        if self.recorder is not None and question:
            guess, now = guess_of(asked.understood), self.clock()

            async def keep() -> None:
                await self.store.save_ticket_draft(user_id, user_id, question, guess, now)

            self.recorder.record(keep)
        return replace(asked, reply=say.with_ask_person(asked.reply))

    # -- applicants -------------------------------------------------------------------

    async def prepare(self, user_id: int, chat_id: int, typed: str = "") -> Reply:
        """/human [question], or the button: the question to confirm, or how to ask."""
        if not self.enabled:
            return note(say.DESK_OFF)
        question = printable_lines(typed)
        if question:
            if len(question) > MAX_QUESTION:
                return problem(f"Keep the question under {MAX_QUESTION} characters.")
            snapshot = self.answers.current
            guess = guess_of(understand(question, None, snapshot))
            await self.store.save_ticket_draft(user_id, chat_id, question, guess, self.clock())
        draft = await self.store.ticket_draft(user_id)
        if draft is None and self.recorder is not None:
            # The button came before its draft was written in the background: wait for it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.recorder.queue.join(), WRITE_WAIT)
            draft = await self.store.ticket_draft(user_id)
        if draft is None or self.clock() - draft.at > DRAFT_LIFE:
            return note(say.HUMAN_USAGE)
        return say.confirm_draft(draft, self.office)

    async def send(self, user_id: int, draft_id: int, name: str | None) -> Reply:
        """Open the ticket and queue its post to the staff chat."""
        staff_chat = self.settings.staff_chat_id
        if staff_chat is None:
            return note(say.DESK_OFF)
        kb, now = self.answers.current.kb, self.clock()
        shared = " ".join(name.split())[:MAX_NAME] if name else None
        opened = await self.store.open_ticket(
            user_id,
            draft_id,
            shared or None,
            MAX_OPEN,
            staff_chat,
            lambda ticket: say.staff_post(ticket, kb, self.office),
            now,
        )
        if isinstance(opened, Refusal):
            return say.refused(opened, MAX_OPEN)
        logger.info("Ticket #%d opened", opened.id)
        self.wake()
        return say.passed_on(opened, self.office, self.settings.office_hours, now)

    async def drop(self, user_id: int, draft_id: int) -> Reply:
        await self.store.drop_ticket_draft(user_id, draft_id)
        return say.dropped()

    async def add(self, user_id: int, ticket_id: int, text: str) -> Reply:
        """The applicant's reply to a message about their ticket joins its thread."""
        staff_chat = self.settings.staff_chat_id
        addition = printable_lines(text)
        if staff_chat is None:
            return note(say.DESK_OFF)
        if not addition:
            return problem("There is nothing to add in that message.")
        if len(addition) > MAX_QUESTION:
            return problem(f"Keep it under {MAX_QUESTION} characters; nothing was added.")
        ticket = await self.store.add_to_ticket(
            ticket_id,
            user_id,
            addition,
            staff_chat,
            lambda t: say.staff_addition(t, addition),
            self.clock(),
        )
        if ticket is None:
            return say.addition_refused(ticket_id)
        self.wake()
        return say.addition_sent(ticket)

    # -- staff -----------------------------------------------------------------------

    async def answer(self, staff_id: int, ticket_id: int, text: str) -> Reply:
        """A staff member's reply in the staff chat, on its way to the applicant."""
        answer = printable_lines(text)
        if not answer:
            return problem("An empty answer is not sent.")
        if len(answer) > MAX_ANSWER:
            return say.answer_too_long(MAX_ANSWER)
        ticket = await self.store.answer_ticket(
            ticket_id,
            staff_id,
            answer,
            lambda t: say.office_answer(t, answer, self.office),
            self.clock(),
        )
        if ticket is None:
            return say.answer_refused(ticket_id, await self.store.get_ticket(ticket_id))
        logger.info("Ticket #%d answered by staff member %s", ticket_id, staff_id)
        self.wake()
        return say.answer_sent(ticket, self.office)

    async def close(self, staff_id: int, ticket_id: int) -> Reply:
        closed = await self.store.close_ticket(ticket_id, staff_id, self.clock())
        return say.closed(ticket_id, closed is not None)

    async def listing(self) -> Reply:
        return say.ticket_list(await self.store.live_tickets(say.MAX_LISTED + 100), self.clock())
