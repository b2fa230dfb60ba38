"""Knowledge base versions, drafts, the labelled set and suggestions, in the store."""

from __future__ import annotations

from datetime import timedelta

from bot.store import ApplyRefusal, SqlStore
from tests.store.helpers import NOW

STAFF = 900
FILES = {"topics.yaml": "topics: []\n", "office/ticket-1.yaml": "topics: []  # ✓ ünïcode\n"}


async def test_no_version_means_the_files_serve(store: SqlStore) -> None:
    assert await store.latest_kb_number() == 0
    assert await store.kb_version(1) is None
    assert await store.kb_versions(10) == []


async def test_a_draft_becomes_the_next_version_once(store: SqlStore) -> None:
    draft = await store.draft_kb(STAFF, 0, "upload", "upload kb.zip", FILES, None, NOW)
    assert await store.latest_kb_number() == 0, "a draft is no version"
    stored = await store.kb_draft(draft)
    assert stored is not None
    assert (stored.base, stored.files, stored.label, stored.status) == (0, FILES, None, "draft")
    assert await store.apply_kb(draft, STAFF, NOW) == 1
    assert await store.apply_kb(draft, STAFF, NOW) is ApplyRefusal.DONE
    version = await store.kb_version(1)
    assert version is not None
    assert (version.number, version.files, version.action) == (1, FILES, "upload")
    [listed] = await store.kb_versions(10)
    assert listed.files is None, "the list carries no files"
    actions = [entry.action for entry in await store.audit_log()]
    assert actions == ["knowledge applied", "knowledge upload previewed"]


async def test_a_draft_made_against_an_older_version_is_stale(store: SqlStore) -> None:
    first = await store.draft_kb(STAFF, 0, "upload", "a", FILES, None, NOW)
    second = await store.draft_kb(STAFF, 0, "upload", "b", FILES, None, NOW)
    assert await store.apply_kb(first, STAFF, NOW) == 1
    assert await store.apply_kb(second, STAFF, NOW) is ApplyRefusal.STALE
    assert await store.latest_kb_number() == 1


async def test_a_cancelled_draft_cannot_be_applied(store: SqlStore) -> None:
    draft = await store.draft_kb(STAFF, 0, "upload", "a", FILES, None, NOW)
    assert await store.cancel_kb(draft, STAFF, NOW)
    assert not await store.cancel_kb(draft, STAFF, NOW)
    assert await store.apply_kb(draft, STAFF, NOW) is ApplyRefusal.DONE


async def test_applying_labels_the_question(store: SqlStore) -> None:
    label = ("can i bring my cat", "programme.life")
    draft = await store.draft_kb(STAFF, 0, "phrasing", "ticket #1", FILES, label, NOW)
    stored = await store.kb_draft(draft)
    assert stored is not None
    assert stored.label == label
    assert await store.labelled_questions() == []
    await store.apply_kb(draft, STAFF, NOW)
    assert await store.labelled_questions() == [label]
    await store.label_question("can i bring my cat", "office.cats", "ticket", STAFF, NOW)
    assert await store.labelled_questions() == [("can i bring my cat", "office.cats")]


async def test_a_rollback_is_a_new_version_and_may_mean_the_files(store: SqlStore) -> None:
    draft = await store.draft_kb(STAFF, 0, "upload", "a", FILES, None, NOW)
    await store.apply_kb(draft, STAFF, NOW)
    assert await store.add_kb_version(STAFF, "rollback", "to the files", None, NOW) == 2
    version = await store.kb_version(2)
    assert version is not None
    assert version.files is None
    assert [v.number for v in await store.kb_versions(10)] == [2, 1]


async def test_unconfirmed_drafts_lose_their_files(store: SqlStore) -> None:
    old = await store.draft_kb(STAFF, 0, "upload", "a", FILES, None, NOW - timedelta(days=2))
    new = await store.draft_kb(STAFF, 0, "upload", "b", FILES, None, NOW)
    assert await store.purge_kb_drafts(NOW - timedelta(days=1)) == 1
    assert await store.apply_kb(old, STAFF, NOW) is ApplyRefusal.DONE
    assert await store.apply_kb(new, STAFF, NOW) == 1


async def test_suggestions(store: SqlStore) -> None:
    ident = await store.add_suggestion("q?", "a.", ("roles.alt", "roles.cir"), None, NOW)
    suggestion = await store.suggestion(ident)
    assert suggestion is not None
    assert (suggestion.question, suggestion.answer, suggestion.candidates) == (
        "q?",
        "a.",
        ("roles.alt", "roles.cir"),
    )
    assert await store.purge_suggestions(NOW + timedelta(days=1)) == 1
    assert await store.suggestion(ident) is None
