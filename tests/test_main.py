"""The app: building it loads nothing of the generator, the benchmark or the spec diff."""

from __future__ import annotations

import json
import subprocess
import sys

# Imports the app, builds it from default settings, and prints every module then loaded.
BUILD_THE_APP = """
import json, sys
from roomchat.main import create_app
from roomchat.settings import Settings
create_app(Settings())
print(json.dumps(sorted(sys.modules)))
"""
NOT_THE_SERVERS = (
    "roomchat.codegen",
    "roomchat.bench",
    "roomchat.specdiff",
    "jinja2",
    "datamodel_code_generator",
    "ruff",
    "matplotlib",
)


def test_building_the_app_loads_no_tool_and_no_generator_dependency() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", BUILD_THE_APP],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    loaded: list[str] = json.loads(completed.stdout)
    assert "roomchat.main" in loaded
    assert "roomchat.web.docs_page" in loaded
    unwanted = [
        module
        for module in loaded
        if any(module == name or module.startswith(f"{name}.") for name in NOT_THE_SERVERS)
    ]
    assert unwanted == []
