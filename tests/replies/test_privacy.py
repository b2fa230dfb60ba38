"""/mydata, /settings and /privacy in words: one message whatever is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.replies import MESSAGE_LIMIT
from bot.replies.privacy import mydata_reply
from bot.store import Reminder, Status, User
from bot.tracking import MyData

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
ME = User(1, 1, "Europe/London", "interview", None, None, True, NOW, NOW)


def reminder(number: int, text: str) -> Reminder:
    due = NOW + timedelta(hours=number)
    return Reminder(number, 1, 1, text, due, None, "Europe/London", None, Status.PENDING, due,
                    0, None, None, number=number)  # fmt: skip


def test_a_page_of_long_reminders_fits_one_message() -> None:
    many = [reminder(n, "x" * 1000) for n in range(1, 101)]
    data = MyData(ME, many, {"broadcast": 3}, ZoneInfo("UTC"), None, past=40)
    for page in range(10):
        reply = mydata_reply(data, page)
        assert len(reply.text) < MESSAGE_LIMIT
    first = mydata_reply(data, 0)
    assert "Open reminders (100):" in first.text
    assert "Past reminders, sent or cancelled: 40" in first.text
    assert [b.data for row in first.buttons for b in row] == ["mpg:1"]
    last = mydata_reply(data, 99)  # a page past the end shows the last one
    assert "showing 91 to 100 of 100" in last.text
    assert [b.data for row in last.buttons for b in row] == ["mpg:8"]


def test_nothing_stored() -> None:
    assert mydata_reply(MyData(None, [], {}, ZoneInfo("UTC"))).text == "I store nothing about you."


def test_a_waiting_step_is_listed() -> None:
    data = MyData(replace(ME, default_reminders=False), [], {}, ZoneInfo("UTC"), dialog="/remind")
    text = mydata_reply(data).text
    assert "A question of /remind waiting for your answer" in text
    assert "Default reminders for your stage: off" in text
