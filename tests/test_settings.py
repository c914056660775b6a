"""Every operator setting is in config.py (issue 13): features read app.config and neither set
their own defaults nor read the environment; the environment variables keep their names."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Reading the environment outside config.py, each for a reason that is not a setting.
ENVIRONMENT_READERS = {
    "nitet_online/__init__.py",  # which configuration to load (NITET_CONFIG)
    "nitet_online/cli.py",  # commands
    "nitet_online/search/analysis.py",  # PyThaiNLP offline, set before it is imported
    "nitet_online/knowledge/files.py",  # hands settings to the child process
    "nitet_online/knowledge/filework.py",  # the child process reads what files.py handed it
    "nitet_online/backup/services.py",  # pg_dump's environment
}


def _sources():
    for path in sorted((ROOT / "nitet_online").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_no_feature_sets_its_own_setting_defaults():
    offenders = [
        name
        for name, text in _sources()
        if re.search(r"\bconfig\.setdefault\(", text) or "ENV_SETTINGS" in text
    ]
    assert offenders == []


def test_only_config_py_reads_settings_from_the_environment():
    offenders = [
        name
        for name, text in _sources()
        if "os.environ" in text and name not in ENVIRONMENT_READERS
    ]
    assert offenders == []


SCRIPT = """
import json
from config import TestingConfig, ProductionConfig, Config
c = Config
print(json.dumps({
    "burst": c.CHAT_RATE_BURST, "rate": c.CHAT_RATE_PER_SECOND, "length": c.CHAT_MAX_MESSAGE_LENGTH,
    "edit": c.CHAT_EDIT_WINDOW_MINUTES, "ask": c.QUESTIONS_RATELIMIT_ASK,
    "answer": c.QUESTIONS_RATELIMIT_ANSWER, "comment": c.QUESTIONS_RATELIMIT_COMMENT,
    "retention": c.STATS_RAW_RETENTION_DAYS,
    "sync": [Config.STATS_SYNC_WRITES, Config.SEARCH_SYNC_INDEXING,
             TestingConfig.STATS_SYNC_WRITES, TestingConfig.SEARCH_SYNC_INDEXING],
}))
"""


def _settings(**environment: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NITET_", "STATS_"))}
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def test_settings_keep_their_defaults_and_environment_names():
    assert _settings() == {
        "burst": 8,
        "rate": 0.5,
        "length": 2000,
        "edit": 15,
        "ask": "10 per hour",
        "answer": "30 per hour",
        "comment": "60 per hour",
        "retention": 90,
        "sync": [False, False, True, True],
    }
    changed = _settings(
        NITET_CHAT_RATE_BURST="3",
        NITET_CHAT_RATE_PER_SECOND="0.25",
        NITET_CHAT_MAX_LENGTH="500",
        NITET_CHAT_EDIT_MINUTES="5",
        NITET_RATELIMIT_ASK="2 per hour",
        NITET_RATELIMIT_ANSWER="3 per hour",
        NITET_RATELIMIT_COMMENT="4 per hour",
        STATS_RAW_RETENTION_DAYS="30",
    )
    assert changed | {"sync": None} == {
        "burst": 3,
        "rate": 0.25,
        "length": 500,
        "edit": 5,
        "ask": "2 per hour",
        "answer": "3 per hour",
        "comment": "4 per hour",
        "retention": 30,
        "sync": None,
    }


def test_the_readme_lists_every_environment_variable_config_reads():
    config = (ROOT / "config.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\("([A-Z0-9_]+)"', config))
    names |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', config))
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == []
