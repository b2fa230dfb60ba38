"""Button data: one typed kind per prefix, and nothing forged gets through decode."""

from __future__ import annotations

import pytest

from bot.replies.buttons import (
    CALLBACK_DATA_LIMIT,
    AnswerTopic,
    BroadcastChoice,
    ButtonData,
    CancelReminder,
    ChangeZone,
    ChooseZone,
    DefaultReminders,
    Forget,
    MyDataPage,
    NoDate,
    NoneOfThese,
    OpenStage,
    OtherZone,
    PickReading,
    ReminderPage,
    RemindWhen,
    Vote,
)


@pytest.mark.parametrize(
    ("payload", "data"),
    [
        (AnswerTopic("positions.alt"), "t:positions.alt"),
        (Vote(True, "positions.apply-both"), "fb:1:positions.apply-both"),
        (Vote(False, "duties.alt"), "fb:0:duties.alt"),
        (CancelReminder(12), "rc:12"),
        (Forget(True), "fg:yes"),
        (BroadcastChoice(False, 7), "bc:no:7"),
        (NoneOfThese(), "f:"),
    ],
)
def test_encode_and_decode_round_trip(payload: ButtonData, data: str) -> None:
    assert payload.encode() == data
    assert type(payload).decode(data) == payload


@pytest.mark.parametrize(
    "data",
    [
        "rc:①",
        "rc:²",
        "rc:" + "9" * 60,
        "rc:-1",
        "rc:1.5",
        "rc:",
        "rc:1:2",
        "rt:1",
        None,
        "",
    ],
)
def test_forged_numbers_decode_to_none(data: str | None) -> None:
    assert CancelReminder.decode(data) is None


@pytest.mark.parametrize(
    "data", ["fb:2:duties.alt", "fb:1:", "fb:yes:duties.alt", "fb:1:a:b", "fb:1:<b>x</b>"]
)
def test_forged_votes_decode_to_none(data: str) -> None:
    assert Vote.decode(data) is None


def test_a_prefix_is_not_confused_with_a_longer_one() -> None:
    assert AnswerTopic.decode("tx:positions.alt") is None
    assert NoneOfThese.decode("f:x") is None


def test_every_prefix_is_defined_once() -> None:
    with pytest.raises(ValueError, match="used twice"):

        class Again(ButtonData, prefix="t"):
            pass


@pytest.mark.parametrize(("value", "ok"), [("a" * 62, True), ("a" * 63, False)])
def test_data_over_64_bytes_is_refused(value: str, ok: bool) -> None:
    if ok:
        assert len(AnswerTopic(value).encode().encode()) <= CALLBACK_DATA_LIMIT
    else:
        with pytest.raises(ValueError, match="64 bytes"):
            AnswerTopic(value).encode()


@pytest.mark.parametrize(
    ("payload", "data"),
    [
        (RemindWhen("tomorrow"), "gw:tomorrow"),
        (ChooseZone("America/Argentina/ComodRivadavia"), "gz:America/Argentina/ComodRivadavia"),
        (ChooseZone("Etc/GMT+9"), "gz:Etc/GMT+9"),
        (OtherZone(), "gzo:"),
        (PickReading(1), "gr:1"),
        (NoDate(), "gnd:"),
        (ReminderPage(3), "rpg:3"),
        (MyDataPage(0), "mpg:0"),
        (DefaultReminders(False), "sdr:off"),
        (ChangeZone(), "scz:"),
        (OpenStage(), "sst:"),
    ],
)
def test_guide_buttons_round_trip(payload: ButtonData, data: str) -> None:
    assert payload.encode() == data
    assert type(payload).decode(data) == payload


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (ChooseZone, "gz:Mars/Olympus"),
        (ChooseZone, "gz:europe/london"),  # names are decoded exactly as they were sent
        (ChooseZone, "gz:../../etc/passwd"),
        (ChooseZone, "gz:"),
        (RemindWhen, "gw:later"),
        (PickReading, "gr:-1"),
        (DefaultReminders, "sdr:1"),
    ],
)
def test_forged_guide_buttons_decode_to_none(kind: type[ButtonData], data: str) -> None:
    assert kind.decode(data) is None
