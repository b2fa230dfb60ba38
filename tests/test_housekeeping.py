"""Housekeeping: live knowledge-base reloads, announcements, reports and purges."""

from __future__ import annotations

import asyncio
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from bot import housekeeping
from bot.answers import Answers
from bot.config import BUNDLED_KNOWLEDGE
from bot.housekeeping import Housekeeper, ReloadResult, scan
from bot.insights import record_question
from bot.kb_files import directory_texts
from bot.kb_versions import KnowledgeVersions
from bot.knowledge import Location, Problem
from bot.matcher import Match, Outcome
from bot.store import Kind, SqlStore
from bot.store.staff import SYSTEM
from tests.conftest import NOW, Clock

STAFF = frozenset({901, 902})

NEW_TOPIC = """\
topics:
  - id: contact.open-day
    title: The embassy open day
    questions:
      - when is the embassy open day
      - open day date
    answer: The open day is announced on the embassy's website.
"""
BROKEN_TOPIC = NEW_TOPIC.replace("    answer:", "    anwser:")
BROKEN_LINE = 7  # the line of "anwser:"

ANNOUNCEMENTS = """\
announcements:
  - id: info-session-2027
    at: "2027-01-10 20:30"
    timezone: Asia/Tokyo
    text: The online information session starts in one hour.
  - id: later-2027
    at: "2027-06-01 09:00"
    text: Not yet.
"""  # 20:30 in Tokyo is 11:30 UTC, half an hour before NOW


class Wake:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, directory)
    return directory


@pytest.fixture
def answers(knowledge: Path) -> Answers:
    return Answers.load(knowledge)


@pytest.fixture
def wake() -> Wake:
    return Wake()


def keeper(
    store: SqlStore,
    answers: Answers,
    knowledge: Path,
    wake: Wake,
    clock: Clock,
    staff: frozenset[int] = frozenset(),
) -> Housekeeper:
    versions = KnowledgeVersions(store, answers, knowledge, clock)
    return Housekeeper(store, answers, knowledge, staff, 180, wake, versions, clock)


def answered_topic(answers: Answers, question: str) -> str | None:
    match = answers.current.match(question)
    return match.topic.id if match.outcome is Outcome.ANSWER and match.topic else None


async def notices(store: SqlStore) -> list[tuple[int, str]]:
    rows = await store.fetch(
        "SELECT user_id, text FROM reminders WHERE kind = ? ORDER BY user_id", (Kind.NOTICE,)
    )
    return [(row[0], row[1]) for row in rows]


# -- scan ------------------------------------------------------------------------------


def test_scan_lists_the_yaml_files(knowledge: Path) -> None:
    signature = scan(knowledge)
    names = [Path(path).name for path, _, _ in signature]
    assert names == sorted(p.name for p in knowledge.glob("*.yaml"))
    assert "unused" not in names
    assert scan(knowledge) == signature


def test_scan_of_a_missing_directory_is_empty(tmp_path: Path) -> None:
    assert scan(tmp_path / "nowhere") == ()


def test_scan_sees_edits_additions_and_deletions(knowledge: Path) -> None:
    before = scan(knowledge)
    (knowledge / "messages.yaml").write_text(
        (knowledge / "messages.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    edited = scan(knowledge)
    assert edited != before
    (knowledge / "sub").mkdir()
    (knowledge / "sub" / "extra.yml").write_text(NEW_TOPIC, encoding="utf-8")
    added = scan(knowledge)
    assert len(added) == len(before) + 1
    (knowledge / "sub" / "extra.yml").unlink()
    assert scan(knowledge) == edited


# -- watch and reload ------------------------------------------------------------------------


async def test_no_change_no_reload(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    snapshot = answers.current
    for _ in range(3):
        assert await house.watch() is None
    assert answers.current is snapshot


async def test_a_new_topic_file_is_loaded_once_it_has_settled(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    topics = len(answers.current.kb.topics)
    assert answered_topic(answers, "when is the embassy open day?") is None
    (knowledge / "open-day.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    assert await house.watch() is None  # changed: wait one round for it to settle
    assert answered_topic(answers, "when is the embassy open day?") is None
    result = await house.watch()
    assert result == ReloadResult(topics=topics + 1)
    assert result.ok
    assert answered_topic(answers, "when is the embassy open day?") == "contact.open-day"
    assert await house.watch() is None


async def test_a_file_still_being_written_waits(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    path = knowledge / "open-day.yaml"
    path.write_text(NEW_TOPIC[:40], encoding="utf-8")
    assert await house.watch() is None
    path.write_text(NEW_TOPIC, encoding="utf-8")
    assert await house.watch() is None  # changed again: settle again
    result = await house.watch()
    assert result is not None
    assert result.ok


async def test_a_broken_file_is_reported_and_the_old_knowledge_keeps_serving(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    snapshot = answers.current
    broken = knowledge / "open-day.yaml"
    broken.write_text(BROKEN_TOPIC, encoding="utf-8")
    assert await house.watch() is None
    result = await house.watch()
    assert result is not None
    assert not result.ok
    assert result.topics == 0
    assert all(problem.location.path == broken for problem in result.problems)
    unknown = next(p for p in result.problems if "anwser" in p.message)
    assert unknown.location.line == BROKEN_LINE
    assert f"{broken}:{BROKEN_LINE}: topic 'contact.open-day': unknown key 'anwser'" in str(
        unknown
    )
    assert answers.current is snapshot
    assert answered_topic(answers, "what does an ALT do") == "duties.alt"
    assert await house.watch() is None, "a broken file is reported once, not every round"

    broken.write_text(NEW_TOPIC, encoding="utf-8")
    assert await house.watch() is None
    fixed = await house.watch()
    assert fixed is not None
    assert fixed.ok
    assert answered_topic(answers, "when is the embassy open day?") == "contact.open-day"


async def test_a_deleted_file_is_noticed(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    (knowledge / "open-day.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    answers = Answers.load(knowledge)
    house = keeper(store, answers, knowledge, wake, clock)
    topics = len(answers.current.kb.topics)
    (knowledge / "open-day.yaml").unlink()
    assert await house.watch() is None
    assert await house.watch() == ReloadResult(topics=topics - 1)
    assert answered_topic(answers, "when is the embassy open day?") is None


async def test_reload_by_hand_needs_no_settling(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    (knowledge / "open-day.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    result = await house.reload()
    assert result.ok
    assert answered_topic(answers, "when is the embassy open day?") == "contact.open-day"
    assert await house.watch() is None, "the change was taken in by the reload"


# -- ReloadResult.describe ------------------------------------------------------------------


def test_describe_a_successful_reload() -> None:
    assert ReloadResult(topics=24).describe() == "Knowledge base reloaded: 24 topics."


def test_describe_a_failed_reload() -> None:
    problems = [
        Problem(Location(Path("knowledge/a.yaml"), 7), "topic 'x': unknown key 'anwser'"),
        Problem(Location(Path("knowledge/a.yaml"), 2), "topic 'x': missing required field"),
    ]
    assert ReloadResult(problems=problems).describe() == (
        "Knowledge base NOT reloaded: 2 problem(s). The previous version keeps serving.\n"
        "knowledge/a.yaml:7: topic 'x': unknown key 'anwser'\n"
        "knowledge/a.yaml:2: topic 'x': missing required field"
    )


def test_describe_shows_at_most_fifteen_problems() -> None:
    problems = [Problem(Location(Path("k.yaml"), n), f"problem {n}") for n in range(1, 21)]
    text = ReloadResult(problems=problems).describe()
    assert text.startswith("Knowledge base NOT reloaded: 20 problem(s).")
    assert "k.yaml:15: problem 15" in text
    assert "k.yaml:16:" not in text
    assert text.endswith("\n… and 5 more (run jetbot kb check)")


# -- round --------------------------------------------------------------------------------


async def test_round_tells_every_staff_member_about_a_reload(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock, staff=STAFF)
    (knowledge / "open-day.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    await house.round()
    assert await notices(store) == []
    assert wake.calls == 0
    await house.round()
    text = f"Knowledge base reloaded: {len(answers.current.kb.topics)} topics."
    assert await notices(store) == [(901, text), (902, text)]
    assert wake.calls == 1
    [entry] = await store.audit_log()
    assert (entry.at, entry.staff_id, entry.action, entry.detail) == (
        clock.now.replace(microsecond=0),
        SYSTEM,
        "reload (file change)",
        text,
    )
    await house.round()
    assert len(await notices(store)) == 2
    assert wake.calls == 1


async def test_round_reports_a_failed_reload_to_staff(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock, staff=STAFF)
    broken = knowledge / "open-day.yaml"
    broken.write_text(BROKEN_TOPIC, encoding="utf-8")
    await house.round()
    await house.round()
    sent = await notices(store)
    assert [user for user, _ in sent] == [901, 902]
    for _, text in sent:
        assert text.startswith("Knowledge base NOT reloaded:")
        assert f"{broken}:{BROKEN_LINE}:" in text
    [entry] = await store.audit_log()
    assert entry.action == "reload (file change)"
    assert "NOT reloaded" in entry.detail
    assert wake.calls == 1


async def test_round_without_staff_audits_but_notifies_no_one(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    (knowledge / "open-day.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    await house.round()
    await house.round()
    assert await notices(store) == []
    assert [entry.action for entry in await store.audit_log()] == ["reload (file change)"]
    assert wake.calls == 0


async def test_round_releases_a_due_announcement_from_a_new_file(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    for user_id in (1, 2):
        await store.touch_user(user_id, user_id, NOW)
    house = keeper(store, answers, knowledge, wake, clock)
    (knowledge / "announcements.yaml").write_text(ANNOUNCEMENTS, encoding="utf-8")
    await house.round()
    assert wake.calls == 0
    await house.round()
    rows = await store.fetch(
        "SELECT user_id, text FROM reminders WHERE kind = ? ORDER BY user_id", (Kind.BROADCAST,)
    )
    text = "The online information session starts in one hour."
    assert [(row[0], row[1]) for row in rows] == [(1, text), (2, text)]
    assert wake.calls == 1
    actions = [entry.action for entry in await store.audit_log()]
    assert sorted(actions) == ["announcement sent", "reload (file change)"]
    await house.round()
    assert len(await store.fetch("SELECT id FROM reminders")) == 2
    assert wake.calls == 1


async def test_round_releases_an_announcement_when_its_time_comes(
    store: SqlStore, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    await store.touch_user(1, 1, NOW)
    (knowledge / "announcements.yaml").write_text(ANNOUNCEMENTS, encoding="utf-8")
    answers = Answers.load(knowledge)
    clock.now = NOW - timedelta(hours=1)
    house = keeper(store, answers, knowledge, wake, clock)
    await house.round()
    assert await store.fetch("SELECT id FROM reminders") == []
    assert wake.calls == 0
    clock.now = NOW
    await house.round()
    assert len(await store.fetch("SELECT id FROM reminders")) == 1
    assert wake.calls == 1


async def test_round_reports_a_finished_broadcast(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    await store.touch_user(1, 1, NOW)
    new = await store.draft_broadcast(901, None, "Hello", NOW)
    assert await store.confirm_broadcast(new.id, 901, NOW) == 1
    house = keeper(store, answers, knowledge, wake, clock, staff=STAFF)
    await house.round()
    assert await notices(store) == []
    [delivery] = await store.claim_due("w", NOW, 10)
    await store.mark_sent(delivery.id, "w", NOW)
    await house.round()
    assert await notices(store) == [
        (901, f"Broadcast #{new.id} finished: 1 sent, 0 blocked the bot, 0 failed.")
    ]
    assert wake.calls == 1


async def test_round_purges_old_question_text_hourly(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    fallback = Match(Outcome.FALLBACK, 10.0)

    async def texts() -> list[str | None]:
        return [row[0] for row in await store.fetch("SELECT text FROM questions ORDER BY id")]

    await record_question(store, "old", fallback, NOW - timedelta(days=181))
    await record_question(store, "recent", fallback, NOW - timedelta(days=180, minutes=-10))
    house = keeper(store, answers, knowledge, wake, clock)
    await house.round()
    assert await texts() == [None, "recent"]
    clock.now = NOW + timedelta(minutes=30)  # "recent" is now past the retention too
    await house.round()
    assert await texts() == [None, "recent"], "purged at most once an hour"
    clock.now = NOW + timedelta(hours=1)
    await house.round()
    assert await texts() == [None, None]
    assert wake.calls == 0


async def test_start_runs_rounds_until_stopped(
    store: SqlStore,
    knowledge: Path,
    wake: Wake,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(housekeeping, "INTERVAL", 0.001)
    await store.touch_user(1, 1, NOW)
    (knowledge / "announcements.yaml").write_text(ANNOUNCEMENTS, encoding="utf-8")
    house = keeper(store, Answers.load(knowledge), knowledge, wake, clock)
    house.start()
    try:
        async with asyncio.timeout(5):
            while wake.calls == 0:
                await asyncio.sleep(0.005)
    finally:
        await house.stop()
    assert house.task is None
    assert wake.calls == 1
    await house.stop()  # stopping twice is harmless


async def test_a_removed_knowledge_directory_keeps_the_old_knowledge(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    house = keeper(store, answers, knowledge, wake, clock)
    snapshot = answers.current
    shutil.rmtree(knowledge)
    assert await house.watch() is None
    result = await house.watch()
    assert result is not None
    [problem] = result.problems
    assert problem.message == "knowledge directory not found"
    assert answers.current is snapshot


async def test_ended_conversations_are_forgotten(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    await store.save_context("1", "{}", NOW - timedelta(hours=2))
    await store.save_context("2", "{}", NOW)
    await keeper(store, answers, knowledge, wake, clock).round()
    assert await store.load_context("1") is None
    assert await store.load_context("2") is not None


# -- stored knowledge base versions ----------------------------------------------------------


async def test_a_stored_version_serves_and_the_files_are_not_watched(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    versions = KnowledgeVersions(store, answers, knowledge, clock)
    house = Housekeeper(store, answers, knowledge, STAFF, 180, wake, versions, clock)
    files = {**directory_texts(knowledge), "open-day.yaml": NEW_TOPIC}
    # Applied elsewhere (another instance): this one follows at its next round.
    await store.add_kb_version(901, "upload", "open day", files, clock())
    await house.round()
    assert versions.live == 1
    assert answered_topic(answers, "when is the embassy open day?") == "contact.open-day"

    (knowledge / "messages.yaml").unlink()  # the deployment's files: not what serves
    for _ in range(3):
        await house.round()
    assert answered_topic(answers, "when is the embassy open day?") == "contact.open-day"
    assert await notices(store) == []
    result = await house.reload(by=901)
    assert result.ok, "/reload loads the stored version again"


async def test_a_stored_version_that_fails_to_load_is_reported_to_staff(
    store: SqlStore, answers: Answers, knowledge: Path, wake: Wake, clock: Clock
) -> None:
    versions = KnowledgeVersions(store, answers, knowledge, clock)
    house = Housekeeper(store, answers, knowledge, STAFF, 180, wake, versions, clock)
    await store.add_kb_version(901, "upload", "broken", {"kb.yaml": BROKEN_TOPIC}, clock())
    before = answers.current
    await house.round()
    await house.round()
    assert answers.current is before
    sent = await notices(store)
    assert [user for user, _ in sent] == sorted(STAFF), "once per staff member"
    assert "NOT reloaded" in sent[0][1]
    assert f"kb.yaml:{BROKEN_LINE}: topic 'contact.open-day': unknown key 'anwser'" in sent[0][1]
