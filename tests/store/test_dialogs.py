"""Guided commands' steps: one per user, kept in the database, gone with the user."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Dialog, SqlStore
from tests.store.helpers import NOW


async def test_save_load_replace_and_end(store: SqlStore) -> None:
    await store.touch_user(1, 101, NOW)
    assert await store.load_dialog(1) is None
    first = Dialog(1, "remind", "when", "{}", NOW)
    await store.save_dialog(first)
    assert await store.load_dialog(1) == first
    second = Dialog(1, "remind", "text", '{"at": 1}', NOW + timedelta(minutes=1))
    await store.save_dialog(second)
    assert await store.load_dialog(1) == second
    assert await store.end_dialog(1)
    assert await store.load_dialog(1) is None
    assert not await store.end_dialog(1)


async def test_dialogs_are_per_user_and_deleted_with_the_user(store: SqlStore) -> None:
    for user_id in (1, 2):
        await store.touch_user(user_id, user_id + 100, NOW)
        await store.save_dialog(Dialog(user_id, "stage", "date", "{}", NOW))
    assert await store.delete_user(1)
    assert await store.load_dialog(1) is None
    assert await store.load_dialog(2) is not None
