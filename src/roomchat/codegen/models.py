"""Pydantic models from the spec, by datamodel-code-generator.

The generator's options live in `[tool.datamodel-codegen]` of `pyproject.toml`; it runs with
the project root as working directory so it finds them. Only the input, the output and the
header are given here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any


def render_models(schema_bundle: dict[str, Any], *, header: str, project_root: Path) -> str:
    """The Python source datamodel-code-generator writes for a JSON Schema bundle."""
    with tempfile.TemporaryDirectory(prefix="roomchat-codegen-") as workdir:
        source = Path(workdir) / "schema.json"
        target = Path(workdir) / "models.py"
        source.write_text(json.dumps(schema_bundle, ensure_ascii=False, indent=2), "utf-8")
        command = [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(source),
            "--output",
            str(target),
            "--custom-file-header",
            header,
        ]
        completed = subprocess.run(
            command, cwd=project_root, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"datamodel-code-generator failed ({completed.returncode}):\n{completed.stderr}"
            )
        return target.read_text(encoding="utf-8")
