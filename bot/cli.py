"""The ``jetbot`` command: ask, kb check/eval/unanswered, stats; run and chat through
a transport (``handlers/cli.py`` supplies Telegram's).

A command imports what only it needs when it runs, so that ``jetbot ask`` starts fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.answers import Answers
from bot.cli_db import CommandError, database_commands, with_configured_store
from bot.config import ConfigError, Settings, load_settings, require_token
from bot.knowledge import KnowledgeBaseError, check_knowledge

if TYPE_CHECKING:
    from bot.store import Store

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# However broken a knowledge base, its check stays readable.
MAX_PROBLEMS_PRINTED = 100
MAX_PROBLEM_LENGTH = 500


def load_answers(settings: Settings) -> Answers:
    try:
        return Answers.load(settings.knowledge)
    except KnowledgeBaseError as error:
        raise CommandError(
            f"the knowledge base has errors (run 'jetbot kb check {settings.knowledge}'):\n{error}"
        ) from error


class Transport(Protocol):
    """How ``jetbot run`` and ``jetbot chat`` reach people; raises CommandError."""

    def run(self, settings: Settings, answers: Answers, *, webhook: bool) -> None:
        """Serve the bot until stopped: long polling, or a webhook server."""
        ...

    def chat(self, settings: Settings, answers: Answers) -> None:
        """Talk to the bot in this terminal, on stdin and stdout."""
        ...


@dataclass(frozen=True, slots=True)
class Command:
    args: argparse.Namespace
    settings: Settings
    transport: Transport | None

    def need_transport(self) -> Transport:
        if self.transport is None:
            raise CommandError("this command needs the Telegram adapter: run it as 'jetbot'")
        return self.transport


def cmd_run(command: Command) -> int:
    transport, settings = command.need_transport(), command.settings
    # The token first: a run that cannot start must not leave an empty database behind.
    require_token(settings)
    answers = load_answers(settings)
    if settings.database_url is None:
        check_database(settings.database)
    transport.run(settings, answers, webhook=command.args.webhook)
    return EXIT_OK


def check_database(path: Path) -> None:
    """Fail before going online if the database cannot be opened or written."""
    from bot.store import StoreError, probe_sqlite

    try:
        probe_sqlite(path)
    except StoreError as error:
        raise CommandError(f"cannot use the database {path} (JETBOT_DATABASE): {error}") from error


def cmd_chat(command: Command) -> int:
    transport, settings, args = command.need_transport(), command.settings, command.args
    # Never the bot's own database: the console would deliver real users' reminders
    # to this terminal. It keeps its state in memory unless told otherwise.
    database = Path(args.database) if args.database else Path(":memory:")
    transport.chat(replace(settings, database=database), load_answers(settings))
    return EXIT_OK


def format_result(result: dict[str, object], as_json: bool) -> str:
    if as_json:
        return json.dumps(result, ensure_ascii=False)
    lines = [str(result["answer"])]
    suggestions = result["suggestions"]
    if isinstance(suggestions, list) and suggestions:
        lines += [f"  - {topic}" for topic in suggestions]
    return "\n".join(lines)


def cmd_ask(command: Command) -> int:
    from bot.asking import Asker, Forgetful

    args = command.args
    answers = load_answers(command.settings)
    questions: Iterable[str] = (
        [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    )

    async def ask_each() -> None:
        # The conversations of a one-off command are of no use afterwards: nothing is
        # stored; the asker's own memory carries each chat from line to line.
        asker = Asker(answers, Forgetful())
        for line in questions:
            if args.question is None and not line.strip():
                continue
            question, chat = read_line(line)
            asked = await asker.ask(question, chat)
            print(format_result(asked.as_json(), args.json), flush=True)

    asyncio.run(ask_each())
    return EXIT_OK


def read_line(line: str) -> tuple[str, str | None]:
    """A question and its chat: ``{"chat": "7", "q": "and ALTs?"}`` carries a conversation
    on with the earlier lines of the same chat; a plain line stands on its own."""
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except ValueError:
            return line, None
        if isinstance(data, dict) and isinstance(data.get("q"), str):
            chat = data.get("chat")
            return data["q"], None if chat is None else str(chat)
    return line, None


def cmd_kb_check(command: Command) -> int:
    args, settings = command.args, command.settings
    directory = Path(args.directory) if args.directory else settings.knowledge
    problems = check_knowledge(directory)
    for problem in problems[:MAX_PROBLEMS_PRINTED]:
        print(" ".join(str(problem).split())[:MAX_PROBLEM_LENGTH])  # one line each
    if len(problems) > MAX_PROBLEMS_PRINTED:
        print(f"… and {len(problems) - MAX_PROBLEMS_PRINTED} more")
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"{directory}: OK")
    return EXIT_OK


def cmd_kb_eval(command: Command) -> int:
    from bot.cli_kb import labelled_set
    from bot.evaluation import (
        Conversation,
        LabelledQuestion,
        QuestionSetError,
        evaluate,
        format_report,
        load_question_set,
        unknown_topics,
    )

    args = command.args
    if (args.questions is None) == (not args.labelled):
        raise CommandError("give a question file, or --labelled for the stored labelled set")
    items: list[LabelledQuestion] | list[Conversation]
    if args.labelled:
        snapshot, items, which = labelled_set(command.settings)
        print(f"{len(items)} labelled question(s) from the database, on {which}", file=sys.stderr)
    else:
        snapshot = load_answers(command.settings).current
        try:
            items = load_question_set(Path(args.questions))
        except QuestionSetError as error:
            raise CommandError(str(error)) from error
        unknown = unknown_topics(items, snapshot.kb.topics)
        if unknown:
            shown = "; ".join(unknown[:5]) + (
                f"; … {len(unknown) - 5} more" if unknown[5:] else ""
            )
            raise CommandError(f"{args.questions}: topics not in the knowledge base: {shown}")
    report = evaluate(snapshot, items)
    print(json.dumps(report.figures()) if args.json else format_report(report))
    turns = report.turns
    floors = [
        ("top-1", report.top1_rate, report.in_scope, "in-scope questions", args.min_top1),
        ("fallback", report.fallback_rate, report.out_of_scope, "out-of-scope questions",
         args.min_fallback),
        ("turns", turns.rate if turns else 0.0, turns.count if turns else 0,
         "conversations", args.min_turns),
    ]  # fmt: skip
    # A floor over nothing would pass whatever the bot does: say so and fail instead.
    below = [
        f"{name} {rate:.1%} < {floor:.1%}" if count else f"{name}: no {what} to measure"
        for name, rate, count, what, floor in floors
        if floor is not None and (not count or rate < floor)
    ]
    if below:
        print(f"below the floor: {'; '.join(below)}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_kb_unanswered(command: Command) -> int:
    from bot import insights
    from bot.replies.staff import unanswered_yaml

    args = command.args

    async def work(store: Store) -> list[insights.Group]:
        return await insights.unanswered(store, limit=args.limit)

    groups = asyncio.run(with_configured_store(command.settings, work))
    text = unanswered_yaml(groups)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {len(groups)} question(s) to {args.out}; label each topic, then "
              f"run: jetbot kb eval {args.out}")  # fmt: skip
    else:
        print(text, end="")
    return EXIT_OK


def cmd_kb_labelled(command: Command) -> int:
    from bot.cli_kb import write_labelled

    print(write_labelled(command.settings, command.args.out))
    return EXIT_OK


def rate(text: str) -> float:
    """A floor for ``kb eval``: a fraction from 0 to 1 (0.9 is 90%)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a rate: give a fraction from 0 to 1 (0.9 means 90%)"
        )
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="jetbot", description="The JET Programme applicant bot.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run the Telegram bot (long polling by default)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve a webhook on $PORT (JETBOT_WEBHOOK_URL, JETBOT_WEBHOOK_SECRET) instead",
    )
    run.set_defaults(func=cmd_run)
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
    ev.add_argument(
        "questions", nargs="?", help="YAML list of {q, topic[, cat]} or of {turns: [{q, topic}]}"
    )
    ev.add_argument(
        "--labelled",
        action="store_true",
        help="score the labelled set staff built in Telegram (from the database) instead",
    )
    ev.add_argument(
        "--min-top1", type=rate, metavar="R", help="fail (exit 1) below this in-scope top-1 rate"
    )
    ev.add_argument(
        "--min-fallback",
        type=rate,
        metavar="R",
        help="fail (exit 1) below this out-of-scope fallback rate",
    )
    ev.add_argument(
        "--min-turns", type=rate, metavar="R", help="fail (exit 1) below this turn accuracy"
    )
    ev.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ev.set_defaults(func=cmd_kb_eval)
    un = kb_commands.add_parser(
        "unanswered", help="the most frequent unanswered questions, as a {q, topic: null} list"
    )
    un.add_argument("--out", help="write the YAML here (default: print it)")
    un.add_argument("--limit", type=int, default=200, help="how many groups (default 200)")
    un.set_defaults(func=cmd_kb_unanswered)
    lab = kb_commands.add_parser(
        "labelled", help="the stored labelled regression set, as a {q, topic} list"
    )
    lab.add_argument("--out", help="write the YAML here (default: print it)")
    lab.set_defaults(func=cmd_kb_labelled)
    database_commands(commands)
    return root


def main(argv: Sequence[str] | None = None, transport: Transport | None = None) -> int:
    # Opt in to python-telegram-bot's timedelta retry_after (its deprecation warning asks to).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    args = parser().parse_args(argv)
    func: Callable[[Command], int] = args.func
    try:
        return func(Command(args, load_settings(), transport))
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
