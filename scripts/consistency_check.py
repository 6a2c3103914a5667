"""Consistency check for refactors: build the same raw data with the project at a base
commit and with the working tree, then compare every public table row for row.

    python scripts/consistency_check.py --base 3a4731e [--accounts 200 --days 400]

The raw data is generated once (by the working tree's generator) and copied, so only the
dbt project differs between the two builds. Rows are matched on each model's grain
(numbers with decimals may differ by 1e-9 relative, as in the cross-engine comparison).
Prints, per public model: equal, differing (with the columns and a sample), or present on
one side only, and columns added or removed. Exit 1 when anything differs, so a refactor
that should change nothing proves it; a deliberate definition change shows up here and
goes in the change's note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

from saas_metrics import PROJECT_ROOT
from saas_metrics.dbt_runner import dbt_executable
from saas_metrics.generator import generate
from saas_metrics.quality.compare import compare_frames
from saas_metrics.quality.public_models import load_manifest, public_models


def build(project_dir: Path, warehouse: Path, target_path: Path, as_of: dt.date) -> None:
    # models and seeds only: the tables are compared here; tests run in the test suite
    command = [dbt_executable(), "build", "--exclude-resource-type", "test",
               "--exclude-resource-type", "unit_test", "--project-dir", str(project_dir),
               "--profiles-dir", str(project_dir / "profiles"), "--target", "duckdb",
               "--target-path", str(target_path),
               "--vars", json.dumps({"as_of_date": as_of.isoformat()})]
    env = {**os.environ, "METRICS_DUCKDB_PATH": str(warehouse),
           "METRICS_PROJECT_DIR": str(project_dir), "DBT_LOG_PATH": str(target_path / "logs")}
    print(f"dbt build in {project_dir} -> {warehouse.name}", flush=True)
    result = subprocess.run(command, env=env, cwd=project_dir, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        print(result.stdout[-4000:])
        raise SystemExit(f"the build in {project_dir} failed")


def frame(path: Path, table: str):
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return conn.execute(f'select * from main."{table}"').df()
    finally:
        conn.close()


def tables_of(path: Path) -> set[str]:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return {row[0] for row in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()}
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="git commit or ref to compare with")
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: today UTC)")
    parser.add_argument("--work-dir", default=None, help="keep the builds here")
    parser.add_argument("--skip", action="append", default=[],
                        help="model to leave out (repeatable), e.g. a deliberate change")
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.datetime.now(dt.UTC).date()
    work = Path(args.work_dir or tempfile.mkdtemp(prefix="consistency-"))
    work.mkdir(parents=True, exist_ok=True)
    raw = work / "raw.duckdb"
    if not raw.exists():
        print(f"generating {args.accounts} accounts x {args.days} days as of {as_of}", flush=True)
        generate(accounts=args.accounts, days=args.days, as_of=as_of, seed=args.seed,
                 target="duckdb", duckdb_path=str(raw), manifest_path=work / "raw_manifest.json")
    base_dir = work / "base_project"
    if base_dir.exists():
        subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "remove", "--force",
                        str(base_dir)], check=False)
    subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "add", "--detach",
                    str(base_dir), args.base], check=True, stdout=subprocess.DEVNULL)
    base_wh, head_wh = work / "base.duckdb", work / "head.duckdb"
    shutil.copy(raw, base_wh)
    shutil.copy(raw, head_wh)
    try:
        build(base_dir, base_wh, work / "base_target", as_of)
    finally:
        subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "remove", "--force",
                        str(base_dir)], check=False)
    build(PROJECT_ROOT, head_wh, work / "head_target", as_of)

    head_models = {m.name: m for m in public_models(load_manifest(work / "head_target"))}
    base_models = {m.name: m for m in public_models(load_manifest(work / "base_target"))}
    base_tables, head_tables = tables_of(base_wh), tables_of(head_wh)
    differing = 0
    for name in sorted(set(head_models) | set(base_models)):
        if name in args.skip:
            print(f"skipped    {name}")
            continue
        if name not in base_models or name not in base_tables:
            print(f"new        {name}")
            differing += 1
            continue
        if name not in head_models or name not in head_tables:
            print(f"removed    {name}")
            differing += 1
            continue
        model = head_models[name]
        left, right = frame(base_wh, name), frame(head_wh, name)
        added = [c for c in right.columns if c not in left.columns]
        removed = [c for c in left.columns if c not in right.columns]
        common = [c for c in right.columns if c in left.columns]
        difference = compare_frames(model, left[common], right[common])
        if difference.count or added or removed:
            differing += 1
            print(f"DIFFERS    {name}: {difference.mismatched_rows} rows differ "
                  f"{difference.columns}, {difference.only_left}/{difference.only_right} rows on "
                  f"one side only; columns added {added}, removed {removed}")
            if difference.sample:
                print("    " + difference.sample.replace("\n", "\n    "))
        else:
            print(f"equal      {name} ({len(right):,} rows)")
    print(f"{differing} public model(s) differ from {args.base}; builds in {work}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
