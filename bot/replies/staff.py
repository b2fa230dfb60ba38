"""What staff read: statistics, unanswered questions, reloads, broadcasts."""

from __future__ import annotations

import json
from html import escape

from bot.insights import Group
from bot.knowledge import Problem
from bot.replies import Reply, button, note
from bot.replies.buttons import BroadcastChoice
from bot.store import BroadcastReport, Draft, Stats
from bot.text import printable

STAFF_COMMANDS = (
    ("reload", "reload the knowledge base now (it also reloads by itself when files change)"),
    ("stats", "users, stages, questions, answers, votes, reminders"),
    ("unanswered", "the most frequent questions I could not answer"),
    ("broadcast", "/broadcast <stage|all> <text>: announce, after a preview"),
    ("tickets", "open questions passed on to staff, oldest first"),
    ("close", "/close N: close ticket N"),
    ("kb", "the knowledge base's version; /kb export, /kb rollback N"),
    ("chatid", "this chat's id (send it in the staff group)"),
)
MAX_PROBLEMS_SHOWN = 15
ALWAYS_SHOWN = ("answer", "suggest", "fallback", "smalltalk")


def staff_help() -> str:
    lines = ["\n\n<b>Staff</b>"]
    lines += [f"• /{name} — {escape(description)}" for name, description in STAFF_COMMANDS]
    return "\n".join(lines)


def share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def format_stats(s: Stats) -> str:
    asked = sum(s.outcomes_7d.values())
    outcomes = (
        ("answer", "answered"),
        ("partial", "partly answered"),
        ("suggest", "did you mean"),
        ("fallback", "fallback"),
        ("smalltalk", "small talk"),
        ("intent", "help and the like"),
        ("not_english", "not in English"),
    )
    votes = ", ".join(f"{t} {share(up, up + down)} of {up + down}" for t, up, down in s.votes)
    reminders = ", ".join(
        f"{status} {s.reminders.get(status, 0)}" for status in ("pending", "sent", "failed")
    )
    if s.reminders.get("paused"):
        reminders += f", paused {s.reminders['paused']}"
    lines = [
        f"Users: {s.users} total, {s.active_7d} active in 7 days, {s.blocked} blocked the bot",
        "Users per stage: " + (", ".join(f"{stage} {n}" for stage, n in s.per_stage) or "-"),
        f"Questions: {s.questions_24h} in 24 h, {s.questions_7d} in 7 days",
        "Last 7 days: "
        + ", ".join(
            f"{label} {share(s.outcomes_7d.get(k, 0), asked)}"
            for k, label in outcomes
            if k in ALWAYS_SHOWN or s.outcomes_7d.get(k)
        ),
        "Top topics (7 days): "
        + (", ".join(f"{topic} {n}" for topic, n in s.top_topics_7d) or "-"),
        "Helpful votes: " + (votes or "-"),
        "Reminders: " + reminders,
        ticket_line(s),
        "Came through /start links: "
        + (", ".join(f"{source} {n}" for source, n in s.sources) or "-"),
    ]
    return "\n".join(lines)


def ticket_line(s: Stats) -> str:
    t = s.tickets
    median = "-" if t.median_first_answer is None else duration(t.median_first_answer)
    return (
        f"Tickets: {t.opened} opened, {t.answered} answered; "
        f"median time to a first answer {median}"
    )


def duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes / 60
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"


def stats_reply(s: Stats) -> Reply:
    return note(format_stats(s))


def format_unanswered(groups: list[Group]) -> str:
    if not groups:
        return "No unanswered questions recorded."
    lines = ["Most frequent unanswered questions (similar wordings grouped):"]
    for number, group in enumerate(groups, start=1):
        others = len(group.wordings) - 1
        variants = f" (+{others} similar wording{'s' if others > 1 else ''})" if others else ""
        guess = f" — best guess {group.best_guess}" if group.best_guess else ""
        lines.append(f"{number}. [{group.count}] {group.text}{variants}{guess}")
    return "\n".join(lines)


def unanswered_yaml(groups: list[Group]) -> str:
    """A question list for ``jetbot kb eval``: staff fill in each topic (null = fall back)."""
    lines = [
        "# Unanswered questions, most frequent first. Set each topic to the id that should",
        "# answer it (and add phrasings to that topic), or leave null where the bot must",
        "# fall back. Then: jetbot kb eval THIS_FILE",
    ]
    for group in groups:
        lines.append(f"# asked {group.count} time(s); best guess: {group.best_guess or '-'}")
        # A JSON string of printable text is a valid YAML scalar.
        lines.append(f"- q: {json.dumps(printable(group.text), ensure_ascii=False)}")
        lines.append("  topic: null")
    if not groups:
        lines.append("[]")
    return "\n".join(lines) + "\n"


def reload_text(topics: int, problems: list[Problem]) -> str:
    """The outcome of a knowledge-base reload, for staff and the audit trail."""
    if not problems:
        return f"Knowledge base reloaded: {topics} topics."
    shown = "\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    extra = f"\n… and {more} more (run jetbot kb check)" if more > 0 else ""
    return (
        f"Knowledge base NOT reloaded: {len(problems)} problem(s). "
        f"The previous version keeps serving.\n{shown}{extra}"
    )


def report_text(report: BroadcastReport) -> str:
    return (
        f"Broadcast #{report.broadcast_id} finished: {report.sent} sent, "
        f"{report.blocked} blocked the bot, {report.failed} failed."
    )


def broadcast_preview(draft: Draft) -> Reply:
    who = "everyone" if draft.stage is None else f"users at stage '{draft.stage}'"
    text = (
        f"<b>Broadcast preview</b> — to {escape(who)}: {draft.recipients} recipient(s).\n\n"
        f"📢 {escape(draft.text)}"
    )
    choices = (
        button("Confirm", BroadcastChoice(True, draft.id)),
        button("Cancel", BroadcastChoice(False, draft.id)),
    )
    return Reply(text, (choices,))


def broadcast_confirmed(broadcast_id: int, queued: int | None) -> Reply:
    if queued is None:
        return note(f"Broadcast #{broadcast_id} was already confirmed or cancelled.")
    return note(
        f"Broadcast #{broadcast_id} is going out to {queued} recipient(s); "
        "I'll report when it has finished."
    )


def broadcast_cancelled(broadcast_id: int, cancelled: bool) -> Reply:
    return note(f"Broadcast #{broadcast_id} cancelled." if cancelled else "Nothing to cancel.")
