"""A core Reply as a Telegram message: inline keyboards, long texts split, edits in place."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.replies import MESSAGE_LIMIT, Button, Reply, split_text


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


async def send(message: Message, reply: Reply) -> None:
    """Send a reply in the chat of ``message``, split if long; buttons go on the last part."""
    parts = split_text(reply.text)
    for number, part in enumerate(parts, start=1):
        markup = keyboard(reply) if number == len(parts) else None
        await message.reply_text(part, reply_markup=markup)


async def show_in_place(message: Message, reply: Reply) -> None:
    """Replace a message's text and buttons, as browsing does."""
    if len(reply.text) > MESSAGE_LIMIT:
        await send(message, reply)
        return
    try:
        await message.edit_text(reply.text, reply_markup=keyboard(reply))
    except BadRequest as error:
        # A double tap asks for the same content twice; Telegram refuses the no-op edit.
        if "not modified" not in error.message:
            raise


async def answer_below(query: CallbackQuery, reply: Reply) -> None:
    """Stop the button's spinner, then send the reply under the message the button sits on."""
    await query.answer()
    # Messages older than 48 hours come back "inaccessible": there is nothing to reply under.
    if isinstance(query.message, Message):
        await send(query.message, reply)


async def answer_in_place(query: CallbackQuery, reply: Reply) -> None:
    """Stop the button's spinner, then show the reply in place of the message it sits on."""
    await query.answer()
    if isinstance(query.message, Message):
        await show_in_place(query.message, reply)


async def set_buttons(message: Message, reply: Reply) -> None:
    """Replace only a message's buttons (its text stays)."""
    try:
        await message.edit_reply_markup(keyboard(reply))
    except BadRequest as error:
        # The buttons are already as asked (a second tap, or they are gone).
        if "not modified" not in error.message:
            raise


def buttons_of(message: Message) -> tuple[tuple[Button, ...], ...]:
    """The buttons a message carries, as the core's Buttons."""
    if message.reply_markup is None:
        return ()
    return tuple(
        tuple(
            Button(b.text, b.callback_data if isinstance(b.callback_data, str) else None, b.url)
            for b in row
        )
        for row in message.reply_markup.inline_keyboard
    )
