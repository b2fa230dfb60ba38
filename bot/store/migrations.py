"""The schema, as registered migrations: each runs once, in version order, in one
transaction, and is never edited after it has shipped (an old database is upgraded
in place, never wiped).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.store.db import Connection, Database, Dialect, to_epoch

Migration = Callable[[Connection, Dialect], Awaitable[None]]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(version: int, name: str) -> Callable[[Migration], Migration]:
    """Register a schema change under ``version``."""

    def register(function: Migration) -> Migration:
        MIGRATIONS.append((version, name, function))
        MIGRATIONS.sort(key=lambda item: item[0])
        return function

    return register


async def execute_script(db: Connection, dialect: Dialect, script: str) -> None:
    """Run several statements inside the caller's transaction, in the dialect's types.

    ``executescript`` would commit first, breaking the migration's atomicity.
    """
    lines = [
        line for line in dialect.ddl(script).splitlines() if not line.strip().startswith("--")
    ]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            await db.execute(statement)


async def schema_version(database: Database) -> int:
    async with database.transaction() as db:
        return await current_version(db, database.dialect)


async def current_version(db: Connection, dialect: Dialect) -> int:
    if dialect.migration_lock:
        await db.execute(dialect.migration_lock)
    await db.execute(
        dialect.ddl(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at {bigint} NOT NULL)"
        )
    )
    row = await db.fetch_one("SELECT max(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


async def migrate(database: Database) -> list[int]:
    """Apply every registered migration newer than the database; return their versions.

    Each runs in its own transaction, which first reads the version again under
    the write lock: two processes starting at once apply each migration once.
    """
    applied = []
    for version, name, function in MIGRATIONS:
        async with database.transaction() as db:
            if await current_version(db, database.dialect) >= version:
                continue
            await function(db, database.dialect)
            await db.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, to_epoch(datetime.now(UTC))),
            )
        applied.append(version)
    return applied


@migration(1, "users and reminders")
async def _users_and_reminders(db: Connection, dialect: Dialect) -> None:
    await execute_script(
        db,
        dialect,
        """
        CREATE TABLE users (
            user_id      {bigint} PRIMARY KEY,
            chat_id      {bigint} NOT NULL,
            timezone     TEXT,
            stage        TEXT,
            stage_at     {bigint},
            stage_local  TEXT,
            active       INTEGER NOT NULL DEFAULT 1,
            created_at   {bigint} NOT NULL,
            last_seen_at {bigint} NOT NULL
        );
        CREATE TABLE reminders (
            id         {id},
            user_id    {bigint} NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            chat_id    {bigint} NOT NULL,
            text       TEXT NOT NULL,
            due_at     {bigint} NOT NULL,
            local_time TEXT,
            timezone   TEXT NOT NULL,
            stage      TEXT,
            status     TEXT NOT NULL DEFAULT 'pending',
            run_at     {bigint} NOT NULL,
            attempts   INTEGER NOT NULL DEFAULT 0,
            claimed_by TEXT,
            claimed_at {bigint},
            sent_at    {bigint},
            last_error TEXT,
            created_at {bigint} NOT NULL
        );
        -- "What is due now" reads only this small partial index, however many
        -- sent reminders the table holds.
        CREATE INDEX reminders_to_send ON reminders(run_at) WHERE status = 'pending';
        CREATE INDEX reminders_in_flight ON reminders(claimed_by) WHERE status = 'sending';
        CREATE INDEX reminders_by_user ON reminders(user_id, status);
        CREATE TABLE workers (
            id           TEXT PRIMARY KEY,
            heartbeat_at {bigint} NOT NULL
        );
        """,
    )


@migration(2, "broadcasts, questions, feedback, audit")
async def _staff_tools(db: Connection, dialect: Dialect) -> None:
    await execute_script(
        db,
        dialect,
        """
        ALTER TABLE reminders ADD COLUMN kind TEXT NOT NULL DEFAULT 'reminder';
        ALTER TABLE reminders ADD COLUMN broadcast_id {bigint};
        CREATE INDEX reminders_by_broadcast ON reminders(broadcast_id)
            WHERE broadcast_id IS NOT NULL;
        CREATE TABLE broadcasts (
            id           {id},
            staff_id     {bigint} NOT NULL,
            stage        TEXT,
            text         TEXT NOT NULL,
            status       TEXT NOT NULL DEFAULT 'draft',
            recipients   INTEGER,
            announcement TEXT UNIQUE,
            created_at   {bigint} NOT NULL,
            confirmed_at {bigint},
            finished_at  {bigint}
        );
        CREATE TABLE questions (
            id       {id},
            asked_at {bigint} NOT NULL,
            outcome  TEXT NOT NULL,
            topic    TEXT,
            score    {real} NOT NULL,
            text     TEXT
        );
        CREATE INDEX questions_by_time ON questions(asked_at);
        CREATE TABLE feedback (
            id      {id},
            topic   TEXT NOT NULL,
            helpful INTEGER NOT NULL,
            at      {bigint} NOT NULL
        );
        CREATE TABLE audit (
            id       {id},
            at       {bigint} NOT NULL,
            staff_id {bigint} NOT NULL,
            action   TEXT NOT NULL,
            detail   TEXT NOT NULL
        );
        """,
    )


@migration(3, "one vote per voter and answer")
async def _ballots(db: Connection, dialect: Dialect) -> None:
    # A ballot is a one-way digest of who voted on which answer message: it lets a
    # repeated (or forged) press be refused without storing the user's id.
    await execute_script(
        db,
        dialect,
        """
        ALTER TABLE feedback ADD COLUMN ballot TEXT;
        CREATE UNIQUE INDEX feedback_ballot ON feedback(ballot) WHERE ballot IS NOT NULL;
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    )


@migration(4, "conversation memory")
async def _conversations(db: Connection, dialect: Dialect) -> None:
    # What the bot last answered in a chat, so that "and ALTs?" can be understood.
    await execute_script(
        db,
        dialect,
        """
        CREATE TABLE conversations (
            chat       TEXT PRIMARY KEY,
            context    TEXT NOT NULL,
            updated_at {bigint} NOT NULL
        );
        CREATE INDEX conversations_by_age ON conversations(updated_at);
        """,
    )


@migration(5, "leases")
async def _leases(db: Connection, dialect: Dialect) -> None:
    # Who holds a role only one process may have at a time (long polling a token).
    await execute_script(
        db,
        dialect,
        """
        CREATE TABLE leases (
            name       TEXT PRIMARY KEY,
            holder     TEXT NOT NULL,
            expires_at {bigint} NOT NULL
        );
        """,
    )


@migration(6, "a shared sending budget")
async def _send_budget(db: Connection, dialect: Dialect) -> None:
    # The next free send slot for all instances together, and each chat's next turn,
    # as seconds on the database's clock.
    await execute_script(
        db,
        dialect,
        """
        CREATE TABLE send_budget (
            id      INTEGER PRIMARY KEY,
            next_at {real} NOT NULL
        );
        INSERT INTO send_budget (id, next_at) VALUES (1, 0);
        CREATE TABLE chat_budget (
            chat_id {bigint} PRIMARY KEY,
            next_at {real} NOT NULL
        );
        CREATE INDEX chat_budget_by_time ON chat_budget(next_at);
        """,
    )


@migration(7, "guided steps, stable reminder numbers, settings")
async def _guided_steps(db: Connection, dialect: Dialect) -> None:
    # ``number`` is what the user sees (#3): a per-user sequence, so that it never changes
    # when a reminder moves (a new zone, a new stage date) and never points at another
    # user's row. ``slot`` is a stage default reminder's place in its stage's list, so a
    # new stage date moves that row instead of replacing it. Existing reminders are
    # numbered in the order they were created.
    await execute_script(
        db,
        dialect,
        """
        ALTER TABLE reminders ADD COLUMN number {bigint};
        ALTER TABLE reminders ADD COLUMN slot INTEGER;
        ALTER TABLE users ADD COLUMN reminder_seq {bigint} NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN default_reminders INTEGER NOT NULL DEFAULT 1;
        UPDATE reminders SET number = (
            SELECT count(*) FROM reminders AS earlier
            WHERE earlier.user_id = reminders.user_id AND earlier.kind = 'reminder'
            AND earlier.id <= reminders.id
        ) WHERE kind = 'reminder';
        UPDATE users SET reminder_seq = (
            SELECT count(*) FROM reminders
            WHERE reminders.user_id = users.user_id AND reminders.kind = 'reminder'
        );
        CREATE UNIQUE INDEX reminders_by_number ON reminders(user_id, number)
            WHERE number IS NOT NULL;
        -- The step a guided command waits at, per user: kept here, not in memory, so a
        -- restart in the middle of a dialog loses nothing. One row per user at most.
        CREATE TABLE dialogs (
            user_id    {bigint} PRIMARY KEY REFERENCES users(user_id) ON DELETE CASCADE,
            command    TEXT NOT NULL,
            step       TEXT NOT NULL,
            data       TEXT NOT NULL,
            started_at {bigint} NOT NULL
        );
        """,
    )


@migration(8, "tickets to staff, start sources")
async def _tickets(db: Connection, dialect: Dialect) -> None:
    # A ticket, its thread and the applicant's draft all go with the applicant's row
    # (/forget). Outbox rows of tickets carry the ticket's number.
    await execute_script(
        db,
        dialect,
        """
        ALTER TABLE reminders ADD COLUMN ticket_id {bigint};
        CREATE TABLE tickets (
            id          {id},
            user_id     {bigint} NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            chat_id     {bigint} NOT NULL,
            question    TEXT NOT NULL,
            stage       TEXT,
            guess       TEXT,
            name        TEXT,
            status      TEXT NOT NULL DEFAULT 'open',
            opened_at   {bigint} NOT NULL,
            answered_at {bigint},
            closed_at   {bigint},
            closed_by   {bigint}
        );
        CREATE INDEX tickets_by_user ON tickets(user_id, status);
        CREATE INDEX tickets_live ON tickets(opened_at) WHERE status != 'closed';
        CREATE TABLE ticket_messages (
            id        {id},
            ticket_id {bigint} NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            author    TEXT NOT NULL,
            staff_id  {bigint},
            text      TEXT NOT NULL,
            at        {bigint} NOT NULL
        );
        CREATE INDEX ticket_messages_by_ticket ON ticket_messages(ticket_id);
        CREATE TABLE ticket_drafts (
            id       {id},
            user_id  {bigint} NOT NULL UNIQUE REFERENCES users(user_id) ON DELETE CASCADE,
            question TEXT NOT NULL,
            guess    TEXT,
            at       {bigint} NOT NULL
        );
        CREATE TABLE start_sources (
            source   TEXT PRIMARY KEY,
            starts   {bigint} NOT NULL,
            first_at {bigint} NOT NULL,
            last_at  {bigint} NOT NULL
        );
        """,
    )


@migration(9, "knowledge base versions, labelled questions")
async def _knowledge_versions(db: Connection, dialect: Dialect) -> None:
    # Every applied knowledge base, with all its files' text (NULL: the deployment's
    # own files), so that it survives an ephemeral disk and reaches every instance.
    # A change awaiting Confirm is a row without a number.
    await execute_script(
        db,
        dialect,
        """
        CREATE TABLE kb_versions (
            id             {id},
            number         {bigint} UNIQUE,
            status         TEXT NOT NULL DEFAULT 'draft',
            base           {bigint} NOT NULL,
            staff_id       {bigint} NOT NULL,
            action         TEXT NOT NULL,
            note           TEXT NOT NULL,
            files          TEXT,
            label_question TEXT,
            label_topic    TEXT,
            created_at     {bigint} NOT NULL,
            applied_at     {bigint}
        );
        CREATE TABLE labelled_questions (
            id       {id},
            question TEXT NOT NULL UNIQUE,
            topic    TEXT,
            origin   TEXT NOT NULL,
            staff_id {bigint} NOT NULL,
            added_at {bigint} NOT NULL
        );
        CREATE TABLE kb_suggestions (
            id         {id},
            ticket_id  {bigint} REFERENCES tickets(id) ON DELETE CASCADE,
            question   TEXT NOT NULL,
            answer     TEXT,
            candidates TEXT NOT NULL,
            created_at {bigint} NOT NULL
        );
        """,
    )
