"""Staff turn questions into knowledge and upload files: every change previewed, then applied."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.answers import Answers
from bot.curation import Curator, Export
from bot.insights import record_question
from bot.kb_versions import KnowledgeVersions
from bot.matcher import Match, Outcome
from bot.replies import Reply, plain
from bot.replies.buttons import Curate, KbChoice, NewTopic, PickTopic
from bot.store import SqlStore, Ticket
from bot.understanding import understand
from tests.conftest import NOW, Clock, WriteKb, minimal_kb_files

STAFF = 900
USER = 31
QUESTION = "who checks the ALT paperwork"


@pytest.fixture
def directory(write_kb: WriteKb) -> Path:
    return write_kb(minimal_kb_files())


@pytest.fixture
def answers(directory: Path) -> Answers:
    return Answers.load(directory)


@pytest.fixture
def curator(store: SqlStore, answers: Answers, directory: Path, clock: Clock) -> Curator:
    return Curator(store, answers, KnowledgeVersions(store, answers, directory, clock), clock)


def data(reply: Reply) -> list[str]:
    return [b.data or "" for row in reply.buttons for b in row]


def answered(answers: Answers, question: str) -> str | None:
    understood = understand(question, None, answers.current)
    return understood.topics[0] if understood.kind == "answer" else None


async def answered_ticket(
    store: SqlStore, answer: str | None = "They are checked by the embassy."
) -> Ticket:
    draft = await store.save_ticket_draft(USER, USER, QUESTION, "roles.alt", NOW)
    ticket = await store.open_ticket(USER, draft, None, 3, -100, lambda t: "post", NOW)
    assert isinstance(ticket, Ticket)
    if answer is not None:
        await store.answer_ticket(ticket.id, STAFF, answer, lambda t: "answer", NOW)
    return ticket


async def apply(curator: Curator, preview: Reply) -> Reply:
    [apply_data, _cancel_data] = data(preview)
    choice = KbChoice.decode(apply_data)
    assert choice is not None
    assert choice.confirm
    return await curator.confirm(STAFF, choice.draft, True)


async def test_a_ticket_question_becomes_a_phrasing_of_a_topic(
    curator: Curator, store: SqlStore, answers: Answers
) -> None:
    ticket = await answered_ticket(store)
    assert answered(answers, QUESTION) is None
    offer = await curator.from_ticket(ticket.id)
    assert f"Ticket #{ticket.id}" in plain(offer.text)
    assert "What an ALT is" in [b.label for row in offer.buttons for b in row]
    picks = [PickTopic.decode(d) for d in data(offer)]
    alt = next(p for p in picks if p is not None and p.choice == 0)
    preview = await curator.pick(STAFF, alt.suggestion, alt.choice)
    text = plain(preview.text)
    assert f"ticket #{ticket.id}: a phrasing for roles.alt" in text
    assert "Topics changed: roles.alt" in text
    assert "before 0/1, after 1/1" in text
    assert answered(answers, QUESTION) is None, "not before Apply"
    applied = plain((await apply(curator, preview)).text)
    assert applied.startswith("Knowledge base version 1 is live")
    assert answered(answers, QUESTION) == "roles.alt"
    assert await store.labelled_questions() == [(QUESTION, "roles.alt")]


async def test_a_new_topic_from_the_staff_answer(
    curator: Curator, store: SqlStore, answers: Answers
) -> None:
    ticket = await answered_ticket(store)
    offer = await curator.from_ticket(ticket.id)
    new = next(n for n in map(NewTopic.decode, data(offer)) if n is not None)
    preview = await curator.new_topic(STAFF, new.suggestion)
    assert f"Topics added: office.ticket-{ticket.id}" in plain(preview.text)
    await apply(curator, preview)
    topic = answers.current.kb.topics[f"office.ticket-{ticket.id}"]
    assert topic.answer == "They are checked by the embassy."
    assert answered(answers, QUESTION) == topic.id
    files = await curator.versions.live_files()
    assert f"office/ticket-{ticket.id}.yaml" in files


async def test_a_ticket_needs_an_answer_first(curator: Curator, store: SqlStore) -> None:
    ticket = await answered_ticket(store, answer=None)
    assert "Answer ticket #1 first" in plain((await curator.from_ticket(ticket.id)).text)
    assert "no longer exists" in plain((await curator.from_ticket(99)).text)


async def test_unanswered_questions_offer_the_same(
    curator: Curator, store: SqlStore, answers: Answers
) -> None:
    for _ in range(2):
        await record_question(store, QUESTION, Match(Outcome.FALLBACK, 10.0), NOW)
    listing = await curator.unanswered()
    assert "1. [2] who checks the ALT paperwork" in plain(listing.text)
    [curate] = [c for c in map(Curate.decode, data(listing)) if c is not None]
    offer = await curator.offer_topics(curate.suggestion)
    assert "New topic" not in plain(str(offer.buttons)), "no staff answer to draft from"
    pick = next(p for p in map(PickTopic.decode, data(offer)) if p is not None)
    await apply(curator, await curator.pick(STAFF, pick.suggestion, pick.choice))
    assert answered(answers, QUESTION) is not None
    assert "no longer available" in plain((await curator.pick(STAFF, 999, 0)).text)


async def test_an_upload_is_previewed_and_a_bad_one_changes_nothing(
    curator: Curator, store: SqlStore, answers: Answers
) -> None:
    topics = minimal_kb_files()["topics.yaml"]
    broken = topics.replace("    answer: A CIR", "    anwser: A CIR")
    refused = plain((await curator.upload(STAFF, "topics.yaml", broken.encode())).text)
    assert refused.startswith("⚠️ Not applied: 2 problem(s). Nothing was changed.")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "anwser" in text)
    assert f"topics.yaml:{line}: topic 'roles.cir': unknown key 'anwser'" in refused
    unreadable = plain((await curator.upload(STAFF, "kb.zip", b"nope")).text)
    assert "damaged or not a zip. Nothing was changed." in unreadable
    changed = topics.replace("A CIR works", "A CIR really works")
    preview = await curator.upload(STAFF, "topics.yaml", changed.encode())
    assert "Topics changed: roles.cir" in plain(preview.text)
    await apply(curator, preview)
    assert answers.current.kb.topics["roles.cir"].answer.startswith("A CIR really works")


async def test_sizes_are_refused_before_the_download(curator: Curator) -> None:
    assert await curator.refuse_upload(STAFF, "kb.zip", 1000) is None
    refused = await curator.refuse_upload(STAFF, "kb.zip", 6 << 20)
    assert refused is not None
    assert "the limit is 5 MiB" in plain(refused.text)


async def test_kb_commands(curator: Curator) -> None:
    status = plain((await curator.kb_command(STAFF, "")).text)  # type: ignore[union-attr]
    assert status.startswith("Knowledge base: the deployment's files (no version uploaded yet)")
    export = await curator.kb_command(STAFF, "export")
    assert isinstance(export, Export)
    assert export.filename == "knowledge.zip"
    [entry] = await curator.store.audit_log(1)
    assert (entry.staff_id, entry.action, entry.detail) == (
        STAFF,
        "knowledge exported",
        export.filename,
    )
    assert zipfile.ZipFile(io.BytesIO(export.data)).namelist()
    for bad in ("rollback", "rollback x", "rollback -1", "frobnicate"):
        reply = await curator.kb_command(STAFF, bad)
        assert isinstance(reply, Reply)
        assert "Use /kb, /kb export, or /kb rollback N" in plain(reply.text)
    missing = await curator.kb_command(STAFF, "rollback 4")
    assert isinstance(missing, Reply)
    assert "There is no version 4" in plain(missing.text)
