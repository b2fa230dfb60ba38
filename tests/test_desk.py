"""The help desk's rules: what gets "Ask a person", drafts, tickets, answers, threads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.answers import Answers
from bot.asking import Asker
from bot.config import BUNDLED_KNOWLEDGE
from bot.desk import DRAFT_LIFE, MAX_ANSWER, MAX_OPEN, Desk
from bot.desk_settings import DeskSettings
from bot.office_hours import parse_office_hours
from bot.recorder import Recorder
from bot.replies import plain
from bot.replies.buttons import AskPerson, SendTicket
from bot.store import SqlStore, TicketStatus
from tests.conftest import Clock

USER = 501
STAFF = 77
STAFF_CHAT = -100555
SETTINGS = DeskSettings(STAFF_CHAT, parse_office_hours("Mon-Fri 09:00-17:00 UTC"), "the JET desk")
FALLBACK = "what is the weather like in hokkaido"
SUGGEST = "can I bring my cat to japan"
PARTIAL = "how much is the salary of an alt"


class Wake:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture(scope="module")
def answers() -> Answers:
    return Answers.load(BUNDLED_KNOWLEDGE)


@pytest.fixture
def wake() -> Wake:
    return Wake()


@pytest.fixture
async def recorder() -> AsyncIterator[Recorder]:
    recorder = Recorder()
    recorder.start()
    yield recorder
    await recorder.stop()


@pytest.fixture
def desk(store: SqlStore, answers: Answers, wake: Wake, recorder: Recorder, clock: Clock) -> Desk:
    return Desk(store, answers, SETTINGS, wake, recorder, clock)


@pytest.fixture
def asker(
    store: SqlStore, answers: Answers, desk: Desk, recorder: Recorder, clock: Clock
) -> Asker:
    asker = Asker(answers, store, clock, recorder)
    asker.offer = desk.offer
    return asker


def button_data(reply_buttons: tuple[tuple[object, ...], ...]) -> list[str]:
    return [getattr(b, "data", None) or "" for row in reply_buttons for b in row]


async def draft_id(desk: Desk, user: int = USER) -> int:
    reply = await desk.prepare(user, user)
    sends = [SendTicket.decode(d) for d in button_data(reply.buttons)]
    return next(s.draft for s in sends if s is not None)


@pytest.mark.parametrize("question", [FALLBACK, SUGGEST, PARTIAL])
async def test_what_the_bot_cannot_answer_offers_a_person(
    asker: Asker, recorder: Recorder, store: SqlStore, question: str
) -> None:
    asked = await asker.ask(question, str(USER))
    assert AskPerson().encode() in button_data(asked.reply.buttons)
    await recorder.queue.join()
    draft = await store.ticket_draft(USER)
    assert draft is not None
    assert draft.question == question


async def test_answers_groups_and_a_desk_without_a_staff_chat_offer_nothing(
    asker: Asker, store: SqlStore, answers: Answers, wake: Wake, clock: Clock
) -> None:
    answered = await asker.ask("what is an ALT", str(USER))
    assert AskPerson().encode() not in button_data(answered.reply.buttons)
    in_group = await asker.ask(FALLBACK, "-100123")
    assert AskPerson().encode() not in button_data(in_group.reply.buttons)
    off = Desk(store, answers, DeskSettings(), wake, None, clock)
    asker.offer = off.offer
    assert AskPerson().encode() not in button_data((await asker.ask(FALLBACK, "5")).reply.buttons)
    assert "can't pass questions on" in plain((await off.prepare(5, 5, "hello?")).text)


async def test_human_without_a_question_explains_and_with_one_confirms(
    desk: Desk, store: SqlStore
) -> None:
    assert "/human followed by your question" in plain((await desk.prepare(USER, USER)).text)
    reply = await desk.prepare(USER, USER, "  Can I apply\n\nfrom Japan?  ")
    assert "Can I apply\n\nfrom Japan?" in plain(reply.text)
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == ["📨 Send", "📨 Send with my name", "Cancel"]
    assert "under 1000" in plain((await desk.prepare(USER, USER, "x" * 1001)).text)


async def test_a_stale_draft_is_not_offered(desk: Desk, clock: Clock) -> None:
    await desk.prepare(USER, USER, "an old question")
    clock.now += DRAFT_LIFE + timedelta(minutes=1)
    assert "/human followed by" in plain((await desk.prepare(USER, USER)).text)


async def test_sending_opens_a_ticket_posted_to_the_staff_chat(
    desk: Desk, store: SqlStore, wake: Wake, answers: Answers
) -> None:
    await store.touch_user(USER, USER, desk.clock())
    await store.set_stage(USER, "interview", None, None, [], desk.clock())
    await desk.prepare(USER, USER, "Can I bring my cat?")
    reply = await desk.send(USER, await draft_id(desk), None)
    text = plain(reply.text)
    assert text.startswith("📨 Question #1 passed on to the JET desk.")
    assert "reply to this message" in text
    assert wake.calls == 1
    [row] = await store.fetch("SELECT chat_id, kind, text FROM reminders")
    assert (row[0], row[1]) == (STAFF_CHAT, "ticket")
    post = plain(row[2])
    assert post.startswith("🎫 Ticket #1\nFrom: an applicant (name not shared)\nStage: ")
    assert answers.current.kb.stage("interview") is not None
    assert "Can I bring my cat?" in post


async def test_a_name_is_shared_only_when_chosen(desk: Desk, store: SqlStore) -> None:
    await desk.prepare(USER, USER, "q")
    await desk.send(USER, await draft_id(desk), "Anna Smith (@anna)")
    [row] = await store.fetch("SELECT text FROM reminders")
    assert "From: Anna Smith (@anna)" in plain(row[0])


async def test_the_limit_of_open_questions(desk: Desk) -> None:
    for n in range(MAX_OPEN):
        await desk.prepare(USER, USER, f"question {n}")
        await desk.send(USER, await draft_id(desk), None)
    await desk.prepare(USER, USER, "one too many")
    reply = await desk.send(USER, await draft_id(desk), None)
    assert f"already have {MAX_OPEN} questions open" in plain(reply.text)


async def test_pressing_send_twice_opens_one_ticket(desk: Desk, store: SqlStore) -> None:
    await desk.prepare(USER, USER, "q")
    draft = await draft_id(desk)
    await desk.send(USER, draft, None)
    again = await desk.send(USER, draft, None)
    assert "no longer here" in plain(again.text)
    assert len(await store.live_tickets(10)) == 1


async def test_an_answer_is_signed_by_the_office_and_threaded(desk: Desk, store: SqlStore) -> None:
    await desk.prepare(USER, USER, "Can I bring my cat?")
    await desk.send(USER, await draft_id(desk), None)
    ack = await desk.answer(STAFF, 1, "Yes, with a health certificate.")
    assert plain(ack.text).startswith("✅ Ticket #1: your answer is on its way")
    assert [b.label for row in ack.buttons for b in row] == [
        "📚 Add to knowledge base",
        "✖️ Close",
    ]
    rows = await store.fetch("SELECT chat_id, kind, text FROM reminders ORDER BY id")
    assert (rows[1][0], rows[1][1]) == (USER, "answer")
    answer = plain(rows[1][2])
    assert answer.startswith("💬 Answer from the JET desk · question #1\n\nYes, with a health")
    assert str(STAFF) not in answer
    added = await desk.add(USER, 1, "And my dog?")
    assert "Added to your question #1" in plain(added.text)
    assert plain((await store.fetch("SELECT text FROM reminders ORDER BY id DESC"))[0][0]) == (
        "🎫 Ticket #1 · the applicant adds:\n\nAnd my dog?\n\nReply to this message to answer."
    )
    ticket = await store.get_ticket(1)
    assert ticket is not None
    assert ticket.status is TicketStatus.ANSWERED


async def test_nothing_more_once_closed(desk: Desk) -> None:
    await desk.prepare(USER, USER, "q")
    await desk.send(USER, await draft_id(desk), None)
    assert plain((await desk.close(STAFF, 1)).text) == "Ticket #1 closed."
    assert "is not open" in plain((await desk.close(STAFF, 1)).text)
    assert "is closed; the applicant was not sent this" in plain(
        (await desk.answer(STAFF, 1, "late")).text
    )
    assert "is closed, so I can't add to it" in plain((await desk.add(USER, 1, "x")).text)
    assert "no longer exists" in plain((await desk.answer(STAFF, 99, "x")).text)


async def test_overlong_answers_are_refused(desk: Desk, store: SqlStore) -> None:
    await desk.prepare(USER, USER, "q")
    await desk.send(USER, await draft_id(desk), None)
    reply = await desk.answer(STAFF, 1, "x" * (MAX_ANSWER + 1))
    assert plain(reply.text).startswith("⚠️ Keep the answer under")
    assert len(await store.fetch("SELECT id FROM reminders")) == 1


async def test_the_list_of_open_tickets(desk: Desk, clock: Clock) -> None:
    assert plain((await desk.listing()).text) == "No open tickets."
    await desk.prepare(USER, USER, "first question")
    await desk.send(USER, await draft_id(desk), None)
    clock.now += timedelta(hours=3)
    listing = plain((await desk.listing()).text)
    assert "Open tickets: 1 (1 waiting for a first answer)" in listing
    assert "#1 · 3 h · open: first question" in listing


async def test_empty_messages_are_not_passed_on(desk: Desk) -> None:
    await desk.prepare(USER, USER, "q")
    await desk.send(USER, await draft_id(desk), None)
    assert "empty answer" in plain((await desk.answer(STAFF, 1, " \n ")).text)
    assert "nothing to add" in plain((await desk.add(USER, 1, "  \n\t")).text)
