"""The ``jetbot`` command: run, chat, ask, kb check, kb eval."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bot import insights
from bot.answers import Answers, Snapshot
from bot.config import ConfigError, Settings, load_settings, require_token
from bot.evaluation import (
    QuestionSetError,
    answered_topic,
    evaluate,
    format_report,
    load_question_set,
)
from bot.knowledge import KnowledgeBaseError, check_knowledge
from bot.matcher import Outcome
from bot.replies import DID_YOU_MEAN
from bot.storage import Storage

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """Ends the command with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_PROBLEMS) -> None:
        super().__init__(message)
        self.code = code


def load_answers(settings: Settings) -> Answers:
    try:
        return Answers.load(settings.knowledge)
    except KnowledgeBaseError as error:
        raise CommandError(
            f"the knowledge base has errors (run 'jetbot kb check {settings.knowledge}'):\n{error}"
        ) from error


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import StartupError, build_application, run_polling
    from bot.logs import setup_logging

    token = require_token(settings)
    setup_logging(secrets=[token.reveal()])
    answers = load_answers(settings)
    check_database(settings.database)
    try:
        run_polling(build_application(settings, answers), token)
    except StartupError as error:
        raise CommandError(str(error), error.code) from error
    return EXIT_OK


def check_database(path: Path) -> None:
    """Fail before going online if the database cannot be opened or written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version_probe (x)")
            db.execute("DROP TABLE schema_version_probe")
    except (OSError, sqlite3.Error) as error:
        raise CommandError(f"cannot use the database {path} (JETBOT_DATABASE): {error}") from error


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_chat

    # Never the bot's own database: the console would deliver real users' reminders
    # to this terminal. It keeps its state in memory unless told otherwise.
    database = Path(args.database) if args.database else Path(":memory:")
    run_chat(replace(settings, database=database), load_answers(settings))
    return EXIT_OK


def ask_result(snapshot: Snapshot, question: str) -> dict[str, object]:
    """The JSON contract of ``jetbot ask``; small talk answers with topic null."""
    match = snapshot.match(question)
    topic = answered_topic(match)
    if match.outcome in (Outcome.ANSWER, Outcome.SMALLTALK) and match.topic:
        answer = match.topic.answer
    elif match.outcome is Outcome.SUGGEST:
        answer = DID_YOU_MEAN
    else:
        answer = snapshot.kb.fallback
    return {
        "question": question,
        "topic": topic,
        "score": match.score,
        "answer": answer,
        "suggestions": [t.id for t in match.suggestions],
        "outcome": match.outcome.value,
    }


def format_result(result: dict[str, object], as_json: bool) -> str:
    if as_json:
        return json.dumps(result, ensure_ascii=False)
    lines = [str(result["answer"])]
    suggestions = result["suggestions"]
    if isinstance(suggestions, list) and suggestions:
        lines += [f"  - {topic}" for topic in suggestions]
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    snapshot = load_answers(settings).current
    questions: Iterable[str] = (
        [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    )
    for question in questions:
        if args.question is None and not question.strip():
            continue
        print(format_result(ask_result(snapshot, question), args.json), flush=True)
    return EXIT_OK


def cmd_kb_check(args: argparse.Namespace, settings: Settings) -> int:
    directory = Path(args.directory) if args.directory else settings.knowledge
    problems = check_knowledge(directory)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{directory}: OK")
    return EXIT_OK


def cmd_kb_eval(args: argparse.Namespace, settings: Settings) -> int:
    snapshot = load_answers(settings).current
    try:
        items = load_question_set(Path(args.questions))
    except QuestionSetError as error:
        raise CommandError(str(error)) from error
    report = evaluate(snapshot, items)
    print(json.dumps(report.figures()) if args.json else format_report(report))
    floors = [("top-1", report.top1_rate, args.min_top1)]
    floors += [("fallback", report.fallback_rate, args.min_fallback)]
    floors += [("turns", report.turn_rate, args.min_turns)]
    below = [
        f"{name} {rate:.1%} < {floor:.1%}"
        for name, rate, floor in floors
        if floor is not None and rate is not None and rate < floor
    ]
    if below:
        print(f"below the floor: {'; '.join(below)}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


async def with_storage(settings: Settings, work: Callable[[Storage], Awaitable[str]]) -> str:
    if not settings.database.exists():
        raise CommandError(f"no database at {settings.database} (JETBOT_DATABASE)")
    storage = await Storage.open(settings.database)
    try:
        return await work(storage)
    finally:
        await storage.close()


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    async def work(storage: Storage) -> str:
        return insights.format_stats(await insights.stats(storage, datetime.now(UTC)))

    print(asyncio.run(with_storage(settings, work)))
    return EXIT_OK


def cmd_kb_unanswered(args: argparse.Namespace, settings: Settings) -> int:
    async def work(storage: Storage) -> str:
        groups = await insights.unanswered(storage, limit=args.limit)
        return insights.unanswered_yaml(groups)

    text = asyncio.run(with_storage(settings, work))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {text.count('- q:')} question(s) to {args.out}; label each topic, then "
              f"run: jetbot kb eval {args.out}")  # fmt: skip
    else:
        print(text, end="")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="jetbot", description="The JET Programme applicant bot.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the Telegram bot (long polling)").set_defaults(
        func=cmd_run
    )
    chat = commands.add_parser("chat", help="talk to the bot in this terminal (no token needed)")
    chat.add_argument(
        "--database", help="SQLite file for the console's own state (default: in memory)"
    )
    chat.set_defaults(func=cmd_chat)
    ask = commands.add_parser("ask", help="answer one question, or one per line of stdin")
    ask.add_argument("question", nargs="?", help="the question (default: read stdin)")
    ask.add_argument("--json", action="store_true", help="print a JSON object per question")
    ask.set_defaults(func=cmd_ask)

    kb = commands.add_parser("kb", help="knowledge-base tools")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True, metavar="COMMAND")
    check = kb_commands.add_parser("check", help="validate the knowledge base")
    check.add_argument(
        "directory",
        nargs="?",
        help="knowledge directory (default: $JETBOT_KNOWLEDGE or ./knowledge)",
    )
    check.set_defaults(func=cmd_kb_check)
    ev = kb_commands.add_parser("eval", help="score the bot on a labelled question file")
    ev.add_argument("questions", help="YAML list of {q, topic[, cat]} or of {turns: [{q, topic}]}")
    ev.add_argument("--min-top1", type=float, help="fail (exit 1) below this in-scope top-1 rate")
    ev.add_argument(
        "--min-fallback", type=float, help="fail (exit 1) below this out-of-scope fallback rate"
    )
    ev.add_argument("--min-turns", type=float, help="fail (exit 1) below this turn accuracy")
    ev.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ev.set_defaults(func=cmd_kb_eval)
    un = kb_commands.add_parser(
        "unanswered", help="the most frequent unanswered questions, as a {q, topic: null} list"
    )
    un.add_argument("--out", help="write the YAML here (default: print it)")
    un.add_argument("--limit", type=int, default=200, help="how many groups (default 200)")
    un.set_defaults(func=cmd_kb_unanswered)
    commands.add_parser("stats", help="usage figures from the database").set_defaults(
        func=cmd_stats
    )
    return root


def main(argv: Sequence[str] | None = None) -> int:
    # Opt in to python-telegram-bot's timedelta retry_after (its deprecation warning asks to).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    args = parser().parse_args(argv)
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    try:
        return func(args, load_settings())
    except ConfigError as error:
        print(f"jetbot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CommandError as error:
        print(f"jetbot: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
