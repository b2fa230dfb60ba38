"""``jetbot run --webhook`` as a process: Telegram's posts, the secret, /healthz, a clean stop."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
from pathlib import Path

import aiohttp

from tests.e2e.botapi import BotApiServer
from tests.e2e.conftest import JETBOT, TOKEN, USER

SECRET = "s3cret-Token_value"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until_serving(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(f"{url}/healthz", timeout=aiohttp.ClientTimeout(total=2)):
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise AssertionError("the webhook server never started")


async def test_webhook_mode_serves_telegram_and_health(
    server: BotApiServer, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "JETBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
        "JETBOT_WEBHOOK_URL": f"{base}/telegram",
        "JETBOT_WEBHOOK_SECRET": SECRET,
        "PORT": str(port),
    }
    process = await asyncio.create_subprocess_exec(
        JETBOT, "run", "--webhook", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        hook = await server.wait_for_call("setWebhook", timeout=20)
        assert hook.params["url"] == f"{base}/telegram"
        assert hook.params["secret_token"] == SECRET
        await until_serving(base)

        server.user_message(USER, "who reviews my application?")
        [answer] = await server.wait_for_messages(USER, 1, timeout=20)
        assert "Embassy" in answer["text"]

        forged = json.dumps({"update_id": 99, "message": {"text": "PRIVATE-BODY-TEXT"}})
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(f"{base}/telegram", data=forged, headers=headers) as r:
                    assert r.status == 403
            async with session.get(f"{base}/healthz") as r:
                assert r.status == 200
                assert (await r.json())["status"] == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    log = output.decode()
    assert process.returncode == 0, log
    assert "missing secret token" in log
    assert "wrong secret token" in log
    assert "PRIVATE-BODY-TEXT" not in log
    assert SECRET not in log
    assert TOKEN.split(":")[1] not in log
    assert server.webhook_responses.count(200) >= 1


async def test_webhook_mode_needs_its_settings(tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "JETBOT_DATABASE": str(tmp_path / "b.db")}
    env.pop("JETBOT_WEBHOOK_URL", None)
    process = await asyncio.create_subprocess_exec(
        JETBOT, "run", "--webhook", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert "JETBOT_WEBHOOK_URL" in output.decode()
    assert output.decode().count("\n") == 1
