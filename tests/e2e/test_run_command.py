"""``jetbot run`` as a separate process, long-polling the test Bot API server."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from pathlib import Path

from tests.e2e.botapi import BotApiServer
from tests.e2e.conftest import JETBOT, TOKEN, USER


async def test_jetbot_run_answers_and_stops_cleanly(server: BotApiServer, tmp_path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "JETBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    process = await asyncio.create_subprocess_exec(
        JETBOT,
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await server.wait_for_call("getUpdates", timeout=20)
        server.user_message(USER, "who reviews my application?")
        [answer] = await server.wait_for_messages(USER, 1, timeout=20)
        assert "Embassy" in answer["text"]
        assert server.calls("setMyCommands"), "post_init registers the commands"
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0
    output = (stdout + stderr).decode()
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output


async def run_cli(*args: str, env: dict[str, str], cwd: Path | None = None) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        JETBOT,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, output.decode()


def without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}


async def test_missing_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = without("TELEGRAM_BOT_TOKEN", "JETBOT_DATABASE", "DATABASE_URL")
    code, output = await run_cli("run", env=env, cwd=tmp_path)
    assert code == 2
    assert output.count("\n") == 1
    assert "TELEGRAM_BOT_TOKEN" in output
    assert "jetbot chat" in output
    # A run that cannot start leaves no empty database in the working directory.
    assert list(tmp_path.iterdir()) == []


async def test_malformed_token_is_never_printed(tmp_path: Path) -> None:
    secret = "not-a-token-but-still-secret-4f9a1c"
    env = {**without("JETBOT_DATABASE", "DATABASE_URL"), "TELEGRAM_BOT_TOKEN": secret}
    code, output = await run_cli("run", env=env, cwd=tmp_path)
    assert code == 2
    assert output.count("\n") == 1
    assert secret not in output
    assert "malformed" in output
    assert list(tmp_path.iterdir()) == []


async def test_a_token_telegram_rejects_is_one_line_and_never_printed(
    server: BotApiServer, tmp_path
) -> None:
    rejected = "654321:" + "Z" * 35
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": rejected,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "JETBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    code, output = await run_cli("run", env=env)
    assert code == 2
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in output
    assert rejected not in output
    assert rejected.split(":")[1] not in output
    assert "Traceback" not in output
    assert output.count("\n") <= 2, output


async def test_no_connection_to_telegram_is_one_line(tmp_path) -> None:
    # A port nothing listens on: the connection is refused, as with no network.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "JETBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    code, output = await run_cli("run", env=env)
    assert code == 1
    assert "Traceback" not in output
    assert output.count("\n") <= 2, output
    last = output.strip().splitlines()[-1]
    assert last.startswith(f"jetbot: could not reach Telegram at http://127.0.0.1:{port}/bot")
    assert "TELEGRAM_API_BASE_URL" in last
    assert TOKEN.split(":")[1] not in output


async def test_a_second_poller_on_the_same_database_refuses_to_start(
    server: BotApiServer, tmp_path
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "JETBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    first = await asyncio.create_subprocess_exec(
        JETBOT, "run", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        await server.wait_for_call("getUpdates", timeout=20)
        code, output = await run_cli("run", env=env)
    finally:
        first.send_signal(signal.SIGTERM)
        await asyncio.wait_for(first.communicate(), timeout=20)
    assert code == 3
    last = output.strip().splitlines()[-1]
    assert last.startswith("jetbot: another instance (")
    assert "already polling" in last
    assert "Traceback" not in output
    assert first.returncode == 0
    # Once the first has stopped cleanly, its lease is released: a new one starts.
    second = await asyncio.create_subprocess_exec(
        JETBOT, "run", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        calls = len(server.calls("getUpdates"))
        for _ in range(400):
            if len(server.calls("getUpdates")) > calls:
                break
            await asyncio.sleep(0.05)
        assert len(server.calls("getUpdates")) > calls, "the new instance polls"
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.communicate(), timeout=20)
    assert second.returncode == 0
