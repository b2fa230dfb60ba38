"""What staff read when they change the knowledge base from Telegram."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot.clock import show
from bot.insights import Group
from bot.kb_versions import Applied, Preview, Scores, Status
from bot.knowledge import KnowledgeBase, Problem
from bot.replies import Button, Reply, button, note, problem
from bot.replies.buttons import Curate, KbChoice, NewTopic, PickTopic
from bot.replies.staff import MAX_PROBLEMS_SHOWN, format_unanswered
from bot.store import ApplyRefusal, Suggestion

UTC = ZoneInfo("UTC")
MAX_LISTED_TOPICS = 10
CURATE_BUTTONS = 10
KB_USAGE = "Use /kb, /kb export, or /kb rollback N (N from the list; 0: the deployment's files)."
UPLOAD_HINT = (
    "To change the knowledge base, send me a .yaml knowledge file or a .zip of the "
    "knowledge directory here; I check it and show what changes before anything goes live."
)


def refused(problems: list[Problem]) -> Reply:
    """A change with problems: every one as file:line, and nothing changed."""
    shown = "\n".join(escape(str(p)) for p in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    extra = f"\n… and {more} more" if more > 0 else ""
    return Reply(
        f"⚠️ Not applied: {len(problems)} problem(s). Nothing was changed.\n{shown}{extra}"
    )


def unreadable(message: str) -> Reply:
    return problem(f"{message}. Nothing was changed.")


def topics_line(label: str, topics: tuple[str, ...]) -> str:
    if not topics:
        return f"{label}: -"
    shown = ", ".join(topics[:MAX_LISTED_TOPICS])
    extra = len(topics) - MAX_LISTED_TOPICS
    more = f" and {extra} more" if extra > 0 else ""
    return f"{label}: {escape(shown)}{more}"


def scores_lines(before: Scores, after: Scores) -> list[str]:
    if not after.count:
        return [
            "No labelled questions are stored yet: each “Add to knowledge base” adds its "
            "question to the regression set."
        ]
    lines = [
        f"Labelled questions answered as labelled: before {before.right}/{before.count}, "
        f"after {after.right}/{after.count}."
    ]
    if after.misses:
        missed = "; ".join(f"“{escape(q)}”" for q in after.misses)
        lines.append(f"Missed after the change: {missed}")
    return lines


def preview(p: Preview) -> Reply:
    diff = p.diff
    lines = [
        f"<b>📚 Proposed change</b> ({escape(p.note)}): valid, {p.topics} topics.",
        topics_line("Topics added", diff.added),
        topics_line("Topics changed", diff.changed),
        topics_line("Topics removed", diff.removed),
        f"Phrasings added: {diff.phrasings}",
        *scores_lines(p.before, p.after),
    ]
    if diff.empty:
        lines.append("It changes no topic.")
    lines.append("Apply it? It goes live at once, for every instance of the bot.")
    buttons = ((button("✅ Apply", KbChoice(True, p.draft_id)),
                button("Cancel", KbChoice(False, p.draft_id))),)  # fmt: skip
    return Reply("\n".join(lines), buttons)


def applied(result: Applied) -> Reply:
    return note(
        f"Knowledge base version {result.number} is live ({result.topics} topics): {result.note}. "
        f"/kb rollback {max(result.number - 1, 0)} returns to the one before."
    )


def apply_refused(refusal: ApplyRefusal) -> Reply:
    if refusal is ApplyRefusal.STALE:
        return note(
            "Another version went live since this preview, so I did not apply it. "
            "Send the change again to see it against the version serving now."
        )
    return note("This change was already applied or cancelled.")


def cancelled(done: bool) -> Reply:
    return note("Cancelled: nothing was changed." if done else "Nothing to cancel.")


def status(s: Status) -> Reply:
    if s.live == 0:
        serving = "the deployment's files (no version uploaded yet)"
    elif s.from_files:
        serving = f"version {s.live}: the deployment's files"
    else:
        serving = f"version {s.live}"
    lines = [f"Knowledge base: {serving}, {s.topics} topics."]
    if s.versions:
        lines.append("Versions (newest first):")
        lines += [
            f"• {v.number} · {show(v.applied_at, UTC)} UTC · {escape(v.action)} by "
            f"{v.staff_id}: {escape(v.note)}"
            for v in s.versions
        ]
    lines += ["", escape(KB_USAGE), escape(UPLOAD_HINT)]
    return Reply("\n".join(lines))


def no_version(number: int) -> Reply:
    return problem(f"There is no version {number}; /kb lists them.")


def export_caption(number: int) -> str:
    which = f"version {number}" if number else "the deployment's files"
    return f"The knowledge base, {which}. Edit and send it back to change it."


# -- turning questions into knowledge ----------------------------------------------------


def choices(suggestion: Suggestion, kb: KnowledgeBase, origin: str) -> Reply:
    """Which topic's answer covers the question; or a new topic from the staff answer."""
    rows: list[tuple[Button, ...]] = [
        (button(kb.topics[topic].title, PickTopic(suggestion.id, index)),)
        for index, topic in enumerate(suggestion.candidates)
        if topic in kb.topics
    ]
    if suggestion.answer is not None:
        rows.append((button("✏️ New topic from the staff answer", NewTopic(suggestion.id)),))
    text = (
        f"<b>📚 {escape(origin)}</b>: “{escape(suggestion.question)}”\n\n"
        "Which topic's answer covers it? The question becomes one of its phrasings."
    )
    if suggestion.answer is not None:
        text += " Or draft a new topic from the staff answer."
    if not rows:
        text += "\n\nNo topic comes close: write one in a knowledge file and upload it."
    return Reply(text, tuple(rows))


def suggestion_gone() -> Reply:
    return note("That suggestion is no longer available; start again from the ticket.")


def unanswered(groups: list[Group], suggestions: list[int]) -> Reply:
    text = format_unanswered(groups)
    if groups:
        text += (
            "\n\nPress a number to add that question to the knowledge base, or export them "
            "to label: jetbot kb unanswered --out unanswered.yaml"
        )
    labels = [button(f"📚 {n}", Curate(s)) for n, s in enumerate(suggestions[:CURATE_BUTTONS], 1)]
    rows = tuple(tuple(labels[i : i + 5]) for i in range(0, len(labels), 5))
    return Reply(escape(text), rows)
