"""Knowledge base versions in the store: validated, previewed, confirmed, followed, rolled back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.answers import Answers
from bot.config import Settings
from bot.kb_versions import Applied, KnowledgeVersions, Preview
from bot.knowledge import Problem
from bot.replies import Reply
from bot.services import Services
from bot.store import ApplyRefusal, SqlStore, open_sqlite
from bot.understanding import understand
from tests.conftest import NOW, Clock, WriteKb, minimal_kb_files

STAFF = 900
CAT = "can i bring my cat to the school"
CAT_TOPIC = """\
topics:
  - id: life.pets
    title: Pets
    questions:
      - can i bring my cat to the school
      - pets in japan
    answer: Ask your contracting organisation.
"""


@pytest.fixture
def directory(write_kb: WriteKb) -> Path:
    return write_kb(minimal_kb_files())


@pytest.fixture
def answers(directory: Path) -> Answers:
    return Answers.load(directory)


@pytest.fixture
def versions(
    store: SqlStore, answers: Answers, directory: Path, clock: Clock
) -> KnowledgeVersions:
    return KnowledgeVersions(store, answers, directory, clock)


def answered(answers: Answers, question: str) -> str | None:
    understood = understand(question, None, answers.current)
    return understood.topics[0] if understood.kind == "answer" else None


async def preview(
    versions: KnowledgeVersions, files: dict[str, str], label: tuple[str, str] | None = None
) -> Preview:
    result = await versions.propose(STAFF, files, "upload", "upload test", label)
    assert isinstance(result, Preview), result
    return result


async def test_with_no_stored_version_the_files_serve(versions: KnowledgeVersions) -> None:
    assert await versions.sync() is None
    assert (versions.live, versions.from_files) == (0, True)
    assert set(await versions.live_files()) == set(minimal_kb_files())


async def test_a_change_with_problems_changes_nothing(
    versions: KnowledgeVersions, store: SqlStore, answers: Answers
) -> None:
    before = answers.current
    files = {**minimal_kb_files(), "pets.yaml": CAT_TOPIC.replace("    answer:", "    anwser:")}
    problems = await versions.propose(STAFF, files, "upload", "upload pets.yaml")
    assert isinstance(problems, list)
    assert "pets.yaml:7: topic 'life.pets': unknown key 'anwser'" in str(problems[0])
    assert answers.current is before
    assert await store.latest_kb_number() == 0
    assert await store.fetch("SELECT id FROM kb_versions") == []
    [entry] = await store.audit_log()
    assert (entry.action, entry.detail) == (
        "knowledge upload refused",
        "upload pets.yaml: 2 problem(s)",
    )


async def test_aliases_are_refused(versions: KnowledgeVersions) -> None:
    files = {**minimal_kb_files(), "a.yaml": "synonyms:\n  pet: &p [cat]\n  pets: *p\n"}
    problems = await versions.propose(STAFF, files, "upload", "upload a.yaml")
    assert isinstance(problems, list)
    assert [str(p) for p in problems] == [
        "a.yaml:2: YAML anchors and aliases (& and *) are not allowed",
        "a.yaml:3: YAML anchors and aliases (& and *) are not allowed",
    ]


async def test_a_preview_shows_the_change_and_the_scores(
    versions: KnowledgeVersions, answers: Answers
) -> None:
    files = {**minimal_kb_files(), "pets.yaml": CAT_TOPIC}
    shown = await preview(versions, files, (CAT, "life.pets"))
    assert shown.diff.added == ("life.pets",)
    assert (shown.diff.changed, shown.diff.removed, shown.diff.phrasings) == ((), (), 2)
    assert (shown.before.right, shown.before.count) == (0, 1)
    assert (shown.after.right, shown.after.count) == (1, 1)
    assert answered(answers, CAT) is None, "nothing is live before Confirm"


async def test_confirm_makes_it_the_newest_version_here_and_elsewhere(
    versions: KnowledgeVersions, store: SqlStore, directory: Path, clock: Clock
) -> None:
    shown = await preview(versions, {**minimal_kb_files(), "pets.yaml": CAT_TOPIC})
    applied = await versions.apply(shown.draft_id, STAFF)
    assert isinstance(applied, Applied)
    assert (applied.number, versions.live, versions.from_files) == (1, 1, False)
    assert answered(versions.answers, CAT) == "life.pets"
    assert await versions.apply(shown.draft_id, STAFF) is ApplyRefusal.DONE

    # Another instance, which still has the files loaded, follows at its next sync.
    elsewhere = KnowledgeVersions(store, Answers.load(directory), directory, clock)
    assert answered(elsewhere.answers, CAT) is None
    assert await elsewhere.sync() is None
    assert answered(elsewhere.answers, CAT) == "life.pets"
    assert await elsewhere.sync() is None, "nothing new: nothing reloaded"


async def test_a_preview_older_than_the_live_version_is_refused(
    versions: KnowledgeVersions,
) -> None:
    first = await preview(versions, {**minimal_kb_files(), "pets.yaml": CAT_TOPIC})
    second = await preview(versions, minimal_kb_files())
    await versions.apply(first.draft_id, STAFF)
    assert await versions.apply(second.draft_id, STAFF) is ApplyRefusal.STALE
    assert answered(versions.answers, CAT) == "life.pets"


async def test_cancel(versions: KnowledgeVersions) -> None:
    shown = await preview(versions, {**minimal_kb_files(), "pets.yaml": CAT_TOPIC})
    assert await versions.cancel(shown.draft_id, STAFF)
    assert await versions.apply(shown.draft_id, STAFF) is ApplyRefusal.DONE


async def test_rollback_returns_to_a_version_or_to_the_files(versions: KnowledgeVersions) -> None:
    shown = await preview(versions, {**minimal_kb_files(), "pets.yaml": CAT_TOPIC})
    await versions.apply(shown.draft_id, STAFF)
    to_files = await versions.rollback(0, STAFF)
    assert isinstance(to_files, Applied)
    assert (to_files.number, versions.from_files) == (2, True)
    assert answered(versions.answers, CAT) is None
    again = await versions.rollback(1, STAFF)
    assert isinstance(again, Applied)
    assert again.number == 3
    assert answered(versions.answers, CAT) == "life.pets"
    assert await versions.rollback(9, STAFF) is None


async def test_a_stored_version_that_no_longer_loads_keeps_the_current(
    versions: KnowledgeVersions, store: SqlStore, clock: Clock
) -> None:
    broken = {**minimal_kb_files(), "pets.yaml": "topics: [oops"}
    await store.add_kb_version(STAFF, "upload", "broken", broken, clock())
    before = versions.answers.current
    problems = await versions.sync()
    assert problems
    assert all(isinstance(p, Problem) for p in problems)
    assert versions.answers.current is before
    assert await versions.sync() is None, "reported once, not every round"


async def test_export_zips_the_live_files(versions: KnowledgeVersions) -> None:
    number, data = await versions.export()
    assert number == 0
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(names) == sorted(f"knowledge/{name}" for name in minimal_kb_files())


async def test_reload_of_a_stored_version_loads_the_same_again(
    versions: KnowledgeVersions,
) -> None:
    shown = await preview(versions, {**minimal_kb_files(), "pets.yaml": CAT_TOPIC})
    await versions.apply(shown.draft_id, STAFF)
    old = versions.answers.current
    snapshot = await versions.reload_live()
    assert snapshot is not old
    assert "life.pets" in snapshot.kb.topics


class Silent:
    async def send(self, chat_id: int, reply: Reply) -> None:
        return None


async def test_a_stored_version_that_fails_at_start_up_is_reported_to_staff(
    tmp_path: Path, directory: Path
) -> None:
    path = tmp_path / "jetbot.sqlite3"
    store = await open_sqlite(path)
    await store.add_kb_version(STAFF, "upload", "broken", {"kb.yaml": "topics: [oops"}, NOW)
    await store.close()
    settings = Settings(knowledge=directory, database=path, staff_ids=frozenset({STAFF}))
    services = await Services.open(settings, Answers.load(directory), Silent())
    try:
        assert services.versions.live == 0, "the files keep serving"
        [row] = await services.store.fetch("SELECT user_id, text FROM reminders")
        assert row[0] == STAFF
        assert "Knowledge base NOT reloaded" in row[1]
    finally:
        await services.close()
