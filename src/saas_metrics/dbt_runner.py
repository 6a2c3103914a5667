"""Run dbt for this project from Python (CLI, tests, benchmark).

dbt runs in a subprocess so that each call sees a clean environment (target, DuckDB path,
PG* variables) and two warehouses can be built side by side in one test session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from saas_metrics import PROJECT_ROOT

PROFILES_DIR = PROJECT_ROOT / "profiles"
class Target(StrEnum):
    """The warehouses the project builds on (profiles/profiles.yml has one output each)."""

    duckdb = "duckdb"
    postgres = "postgres"


TARGETS = tuple(target.value for target in Target)


class DbtError(RuntimeError):
    """dbt exited non-zero; the message names the command, the target and what failed."""


@dataclass
class DbtResult:
    args: list[str]
    returncode: int
    stdout: str
    target_path: Path

    def run_results(self) -> dict[str, Any]:
        path = self.target_path / "run_results.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def failures(self) -> list[str]:
        results = self.run_results().get("results", [])
        return [
            f"{result['unique_id']}: {result['status']} {result.get('message') or ''}".strip()
            for result in results
            if result.get("status") in {"error", "fail", "runtime error"}
        ]


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(
    args: list[str],
    *,
    target: str = "duckdb",
    dbt_vars: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    target_path: Path | None = None,
    check: bool = True,
    stream: bool = False,
) -> DbtResult:
    """Run `dbt <args>` against this project for a target ("duckdb" or "postgres").

    env adds to the current environment (e.g. METRICS_DUCKDB_PATH or PG* variables);
    target_path keeps parallel builds from sharing dbt's target/ folder (default:
    DBT_TARGET_PATH, else <repo>/target).
    """
    if target not in TARGETS:
        raise DbtError(f"Unknown target '{target}': choose one of {', '.join(TARGETS)}")
    # DBT_TARGET_PATH (dbt's own variable) lets a CLI user or a test keep its own target/
    target_path = target_path or Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_ROOT / "target")
    command = [
        dbt_executable(), *args,
        "--project-dir", str(PROJECT_ROOT),
        "--profiles-dir", str(PROFILES_DIR),
        "--target", target,
        "--target-path", str(target_path),
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("METRICS_PROJECT_DIR", str(PROJECT_ROOT))
    full_env.setdefault("DBT_LOG_PATH", str(target_path / "logs"))
    if stream:
        process = subprocess.run(command, env=full_env, cwd=PROJECT_ROOT, text=True)
        stdout = ""
    else:
        process = subprocess.run(command, env=full_env, cwd=PROJECT_ROOT, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        stdout = process.stdout
    result = DbtResult(command, process.returncode, stdout, target_path)
    if check and process.returncode != 0:
        failed = result.failures()
        detail = "\n".join(failed[:20]) if failed else stdout[-4000:]
        raise DbtError(
            f"dbt {' '.join(args)} failed on target '{target}' (exit {process.returncode}).\n"
            f"{detail}"
        )
    return result
