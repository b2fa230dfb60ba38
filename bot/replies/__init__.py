"""Every sentence the bot says, as transport-neutral text (Telegram HTML) and buttons.

Handlers turn a Reply into a Telegram message; the console prints the same
Reply. Every piece of text that comes from a user or the knowledge base is
escaped here, so nothing anyone types is ever interpreted as markup.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.replies.buttons import ButtonData

MESSAGE_LIMIT = 4096
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())


def button(label: str, payload: ButtonData) -> Button:
    return Button(label, payload.encode())


def plain(text: str) -> str:
    """Telegram HTML as plain text, as a client shows it."""
    return html.unescape(TAG.sub("", text))


def visible_length(text: str) -> int:
    """What Telegram counts against its limit: the shown text, in UTF-16 code units."""
    return len(plain(text).encode("utf-16-le")) // 2


def fitting_prefix(text: str, limit: int) -> int:
    """The length of the longest start of ``text`` whose shown text fits in ``limit``."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if visible_length(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return max(low, 1)


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a long message into parts within limit, at a paragraph, line or word boundary.

    The limit is on the text as shown (``&amp;`` is one character, a tag none), so
    an answer full of escaped characters is not cut into more messages than it
    needs. Never cuts inside an HTML entity or tag, since Telegram rejects a part
    whose markup does not parse.
    """
    parts: list[str] = []
    rest = text
    while visible_length(rest) > limit:
        size = fitting_prefix(rest, limit)
        window = rest[:size]
        cut = next(
            (c for c in (window.rfind(sep) for sep in ("\n\n", "\n", " ")) if c >= size // 2),
            size,
        )
        for opener, closer in (("&", ";"), ("<", ">")):
            start = window.rfind(opener, 0, cut)
            if start != -1 and window.find(closer, start, cut) == -1:
                cut = min(cut, start)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


HELP_TEXT = (
    "I answer questions about the JET Programme from its official information, and remind "
    "you of your dates in the selection process.\n\n"
    "• Type a question in your own words, e.g. <i>can I apply for both CIR and ALT?</i>\n"
    "• /start opens the menu to browse positions, duties and the selection steps.\n"
    "• /stage shows or sets your stage: /stage interview 14 Feb 10:30\n"
    "• /remind tomorrow 9am Bring passport, or /remind in 90 minutes Call the embassy; "
    "/remind alone asks step by step\n"
    "• /reminders lists yours, each with a cancel button; /cancel stops a question in "
    "progress (/cancel 12 cancels reminder #12 when none is)\n"
    "• /timezone London (or Tokyo, UTC+9, JST) sets your time zone; /settings has it and "
    "the default reminders switch\n"
    "• /calendar sends your dates as a calendar file\n"
    "• /mydata shows what I store about you; /forget deletes it; /privacy says who runs "
    "this bot\n"
    "• /human passes a question on to a person at the office\n\n"
    "If I don't know something, I'll tell you where to ask, or offer to ask a person."
)
NON_TEXT = "I can only read text messages. Please type your question, or send /start for the menu."
UNKNOWN_COMMAND = "Sorry, I don't know that command. Send /help to see what I can do."
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
IN_PRIVATE = (
    "That is about your own dates and data, so let's keep it out of the group: "
    "send it to me in a private chat."
)
CANNOT_SAVE = (
    "Sorry, I can't save anything right now: my database is unavailable. Nothing was "
    "changed. Please try again in a few minutes; questions still work meanwhile."
)
FLOODING = (
    "You're sending messages faster than I can answer them. "
    "I'll pause for a minute; please send your question again then."
)

# On a button tap over the tap limit: a short note on the tap, never a message.
TAPPING = "Slow down a little, please: I'll take taps again in a minute."


def problem(message: str) -> Reply:
    """Bad input: one line saying what is wrong, with an example."""
    return Reply(f"⚠️ {html.escape(message)}")


def note(text: str) -> Reply:
    """A short plain sentence (escaped)."""
    return Reply(html.escape(text))
