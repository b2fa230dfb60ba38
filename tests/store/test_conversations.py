"""Conversation memory: one context per chat, replaced, forgotten, deleted with the user."""

from __future__ import annotations

from datetime import timedelta

from bot.store import SqlStore
from tests.store.helpers import NOW


async def test_a_context_is_kept_per_chat_and_replaced(store: SqlStore) -> None:
    assert await store.load_context("1") is None
    await store.save_context("1", '{"topic": "positions.alt"}', NOW)
    await store.save_context("2", '{"topic": "duties.cir"}', NOW)
    later = NOW + timedelta(minutes=5)
    await store.save_context("1", '{"topic": "duties.alt"}', later)
    assert await store.load_context("1") == ('{"topic": "duties.alt"}', later)
    assert await store.load_context("2") == ('{"topic": "duties.cir"}', NOW)


async def test_none_forgets_the_context(store: SqlStore) -> None:
    await store.save_context("1", "{}", NOW)
    await store.save_context("1", None, NOW)
    assert await store.load_context("1") is None
    await store.save_context("1", None, NOW)  # nothing to forget: no error


async def test_old_contexts_are_forgotten(store: SqlStore) -> None:
    await store.save_context("old", "{}", NOW - timedelta(hours=2))
    await store.save_context("new", "{}", NOW)
    assert await store.forget_contexts(NOW - timedelta(hours=1)) == 1
    assert await store.load_context("old") is None
    assert await store.load_context("new") is not None


async def test_deleting_a_user_deletes_their_chats_memory(store: SqlStore) -> None:
    await store.touch_user(7, 7, NOW)
    await store.save_context("7", "{}", NOW)
    await store.save_context("8", "{}", NOW)
    assert await store.delete_user(7)
    assert await store.load_context("7") is None
    assert await store.load_context("8") is not None
