"""Free-text questions, follow-up picks and the helpful / not helpful vote."""

from __future__ import annotations

from bot.replies import SOMETHING_WENT_WRONG, plain
from handlers.context import BotApp
from tests.handlers.conftest import Chat, FakeTelegram


def vote_data(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [
        b["callback_data"]
        for row in markup.get("inline_keyboard", [])
        for b in row
        if b.get("callback_data", "").startswith("fb:")
    ]


async def test_a_question_gets_its_answer(chat: Chat) -> None:
    [answer] = await chat.say("can I apply for both CIR and ALT?")
    assert plain(answer).startswith("Applying for both CIR and ALT")


async def test_a_follow_up_button_answers_in_a_new_message(chat: Chat) -> None:
    await chat.say("what is an ALT")
    [follow_up] = await chat.press("t:positions.cir")
    assert plain(follow_up).startswith("What a CIR is")


async def test_a_topic_that_is_gone_gets_a_note(chat: Chat) -> None:
    await chat.say("what is an ALT")
    assert await chat.press("t:positions.gone") == []
    assert "no longer available" in (chat.toasts()[-1] or "")


async def test_a_vote_counts_once_and_removes_the_vote_buttons(
    app: BotApp, chat: Chat, telegram: FakeTelegram
) -> None:
    await chat.say("what is an ALT")
    answer = telegram.last()
    [helpful, _] = vote_data(answer)
    for _ in range(5):  # a forged button can be pressed again and again
        assert SOMETHING_WENT_WRONG not in await chat.press(helpful, answer["message_id"])
    assert vote_data(telegram.messages[answer["message_id"]]) == []
    store = app.bot_data.services.store if app.bot_data.services else None
    assert store is not None
    assert (await store.stats(app.bot_data.services.clock())).votes == [("positions.alt", 1, 0)]  # type: ignore[union-attr]
    assert chat.toasts() == ["Thanks for the feedback!"] * 5


async def test_forged_votes_are_ignored(app: BotApp, chat: Chat) -> None:
    await chat.say("what is an ALT")
    for data in ("fb:7:positions.alt", "fb:1:no.such.topic", "fb:1:" + "9" * 60):
        assert SOMETHING_WENT_WRONG not in await chat.press(data)
    services = app.bot_data.services
    assert services is not None
    assert (await services.store.stats(services.clock())).votes == []


async def test_what_do_they_do_after_a_position(app: BotApp, chat: Chat) -> None:
    await chat.say("what is a CIR?")
    services = app.bot_data.services
    assert services is not None
    await services.recorder.queue.join()
    [reply] = await chat.say("what do they do?")
    assert plain(reply).startswith("What a CIR does")
