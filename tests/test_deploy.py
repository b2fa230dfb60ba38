"""The deploy kit agrees with the code: Procfile, lock file, Dockerfile, compose, .env.example.

No Docker engine runs here, so these files are checked for what they must say.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_procfile_offers_a_webhook_web_process_and_a_polling_worker() -> None:
    processes = dict(line.split(": ", 1) for line in read("Procfile").splitlines())
    assert processes == {"web": "jetbot run --webhook", "worker": "jetbot run"}


def test_the_lock_file_pins_every_dependency_and_installs_the_bot() -> None:
    lines = [line for line in read("requirements.txt").splitlines() if not line.startswith("#")]
    pins = dict(line.split("==") for line in lines[:-1])
    assert lines[-1] == "."
    declared = tomllib.loads(read("pyproject.toml"))["project"]["dependencies"]
    for requirement in declared:
        name = re.split(r"[\[<>=~ ]", requirement, maxsplit=1)[0].lower()
        assert name in pins, f"{name} is not pinned in requirements.txt"


def test_the_dockerfile_builds_in_two_stages_and_runs_as_a_user_with_data_on_a_volume() -> None:
    dockerfile = read("Dockerfile")
    assert len(re.findall(r"^FROM ", dockerfile, re.M)) == 2
    assert "-r requirements.txt" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user
    assert user[-1] not in ("root", "0")
    assert 'VOLUME ["/data"]' in dockerfile
    assert "JETBOT_DATABASE=/data/" in dockerfile
    assert re.search(r'^HEALTHCHECK .*CMD \["jetbot", "health"\]', dockerfile, re.M)


def test_compose_has_a_sqlite_and_a_postgresql_setup() -> None:
    compose = yaml.safe_load(read("docker-compose.yml"))
    services = compose["services"]
    assert services["bot-sqlite"]["profiles"] == ["sqlite"]
    assert "bot-data:/data" in services["bot-sqlite"]["volumes"]
    postgres = services["bot-postgres"]
    assert postgres["environment"]["DATABASE_URL"].startswith("postgres://jetbot:")
    assert "@db:5432/" in postgres["environment"]["DATABASE_URL"]
    assert postgres["depends_on"]["db"]["condition"] == "service_healthy"
    assert set(compose["volumes"]) == {"bot-data", "db-data"}


def test_env_example_lists_every_setting_the_bot_reads() -> None:
    settings = read("bot/config.py") + read("bot/desk_settings.py")
    read_by_config = set(re.findall(r'env\.get\("([A-Z_]+)"', settings))
    listed = set(re.findall(r"^([A-Z_]+)=", read(".env.example"), re.M))
    assert read_by_config
    assert read_by_config <= listed, read_by_config - listed
