"""Drive a real Superset in-process: import bundles and fetch every chart's data.

Runs with the Superset venv's Python (.venv-superset/bin/python), never the project's: the
project's tests call it in a subprocess. The caller sets SUPERSET_HOME,
SUPERSET_CONFIG_PATH and SUPERSET_SECRET_KEY; the metadata DB must be initialised
(`superset db upgrade`, `fab create-admin`, `init`; see saas_metrics.superset.server).

    python superset/harness.py check --user admin --password ... bundle1.zip [bundle2.zip]

For each bundle in turn: import it through POST /api/v1/assets/import/ (overwrite and
sync), create its row-level security rules (row_level_security.yaml, which the asset
import skips) through /api/v1/rowlevelsecurity/, then for every dashboard GET every
chart's /data/, and dump the datasets' saved metrics. Prints one JSON document: a list
with one report per import.

    python superset/harness.py scoped --user admin --password ... --as-role R bundle.zip

imports the bundle the same way, then makes a user whose roles are Alpha (every dataset)
and the scope role R, and reports every chart's data as that user (all rows).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _login(client, user: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/security/login", json={
        "username": user, "password": password, "provider": "db", "refresh": False})
    if response.status_code != 200:
        raise SystemExit(f"login failed: {response.status_code} {response.data[:300]!r}")
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def _get(client, url: str, headers: dict[str, str]) -> Any:
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code} {response.data[:500]!r}")
    return response.json


def _import(client, bundle: str, headers: dict[str, str]) -> None:
    with open(bundle, "rb") as handle:
        response = client.post(
            "/api/v1/assets/import/",
            data={"bundle": (handle, "bundle.zip")},
            content_type="multipart/form-data",
            headers=headers,
        )
    if response.status_code != 200:
        raise SystemExit(f"import of {bundle} failed: {response.status_code} "
                         f"{response.data[:2000]!r}")


RULE_PREFIX = "saas-metrics scope"  # saas_metrics.superset.row_access


def _apply_row_level_security(app, client, bundle: str, headers: dict[str, str]) -> int:
    """Replace our rules with the bundle's; create the scope roles they name."""
    import zipfile

    import yaml

    from superset import db, security_manager

    with zipfile.ZipFile(bundle) as archive:
        names = [name for name in archive.namelist()
                 if name.endswith("/row_level_security.yaml")]
        if not names:
            return 0
        rules = (yaml.safe_load(archive.read(names[0])) or {}).get("rules") or []
    with app.app_context():
        role_ids = {}
        for role_name in sorted({role for rule in rules for role in rule["roles"]}):
            role = security_manager.find_role(role_name) or security_manager.add_role(
                role_name)
            role_ids[role_name] = role.id
        db.session.commit()
    datasets = {item["table_name"]: item["id"] for item in _get(
        client, "/api/v1/dataset/?q=(page_size:100)", headers)["result"]}
    existing = _get(client, "/api/v1/rowlevelsecurity/?q=(page_size:100)", headers)["result"]
    for rule in existing:
        if rule["name"].startswith(RULE_PREFIX):
            response = client.delete(f"/api/v1/rowlevelsecurity/{rule['id']}",
                                     headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"deleting rule {rule['name']}: {response.status_code}")
    for rule in rules:
        body = {**rule, "tables": [datasets[table] for table in rule["tables"]],
                "roles": [role_ids[role] for role in rule["roles"]]}
        if not body["group_key"]:
            body.pop("group_key")
        response = client.post("/api/v1/rowlevelsecurity/", json=body, headers=headers)
        if response.status_code != 201:
            raise SystemExit(f"rule {rule['name']}: {response.status_code} "
                             f"{response.data[:500]!r}")
    return len(rules)


def _report(client, headers: dict[str, str], full_data: bool = False) -> dict[str, Any]:
    dashboards = []
    listing = _get(client, "/api/v1/dashboard/?q=(page_size:100)", headers)["result"]
    for dashboard in sorted(listing, key=lambda item: item["dashboard_title"]):
        charts = _get(client, f"/api/v1/dashboard/{dashboard['id']}/charts", headers)["result"]
        chart_reports = []
        for chart in charts:
            chart_id = chart["id"]
            response = client.get(f"/api/v1/chart/{chart_id}/data/", headers=headers)
            body = response.json or {}
            results = body.get("result") or []
            rows = sum(result.get("rowcount", 0) for result in results)
            # rows with every value present: a chart of NULLs draws nothing
            complete_rows = sum(
                1 for result in results for row in result.get("data") or []
                if all(value is not None for value in row.values()))
            errors = [result.get("error") for result in results if result.get("error")]
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}: {body.get('message') or body}")
            chart_reports.append({
                "id": chart_id,
                "name": chart["slice_name"],
                "viz_type": chart["form_data"].get("viz_type"),
                "status": response.status_code,
                "rows": rows,
                "complete_rows": complete_rows,
                "errors": errors,
                "query": (results[0].get("query") if results else None),
                "sample": (results[0].get("data") or [])[:2] if results else [],
                "data": (results[0].get("data") or []) if results and full_data else None,
            })
        dashboards.append({"id": dashboard["id"], "title": dashboard["dashboard_title"],
                           "slug": dashboard["slug"], "charts": chart_reports})
    datasets = {}
    listing = _get(client, "/api/v1/dataset/?q=(page_size:100)", headers)["result"]
    for item in listing:
        dataset = _get(client, f"/api/v1/dataset/{item['id']}", headers)["result"]
        datasets[dataset["table_name"]] = {
            "schema": dataset["schema"],
            "metrics": {metric["metric_name"]: {
                "expression": metric["expression"],
                "verbose_name": metric["verbose_name"],
                "d3format": metric["d3format"],
                "extra": metric.get("extra"),
            } for metric in dataset["metrics"]},
            "columns": {column["column_name"]: column.get("expression")
                        for column in dataset["columns"]},
        }
    databases = _get(client, "/api/v1/database/?q=(page_size:100)", headers)["result"]
    return {"dashboards": dashboards, "datasets": datasets,
            "databases": [database["database_name"] for database in databases]}


def check(user: str, password: str, bundles: list[str]) -> list[dict[str, Any]]:
    from superset.app import create_app

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    reports = []
    # no app context held across requests: each request gets its own, as on a server
    # (a shared one keeps the first request's user and permission caches)
    client = app.test_client()
    headers = _login(client, user, password)
    for bundle in bundles:
        _import(client, bundle, headers)
        rules = _apply_row_level_security(app, client, bundle, headers)
        reports.append({"bundle": bundle, "row_level_security_rules": rules,
                        **_report(client, headers)})
    return reports


def scoped(user: str, password: str, bundle: str, as_role: str) -> dict[str, Any]:
    """Import as the admin, then report every chart's full data as a user with `as_role`."""
    import secrets

    from superset.app import create_app

    from superset import db, security_manager

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    headers = _login(client, user, password)
    _import(client, bundle, headers)
    rules = _apply_row_level_security(app, client, bundle, headers)
    username = f"scoped_{as_role}"
    scoped_password = secrets.token_urlsafe(16)
    with app.app_context():
        roles = [security_manager.find_role("Alpha"), security_manager.find_role(as_role)]
        if None in roles:
            raise SystemExit(f"role Alpha or {as_role} does not exist after the import")
        existing = security_manager.find_user(username=username)
        if existing:
            security_manager.del_register_user(existing)
            db.session.commit()
        if not security_manager.add_user(username, "Scoped", as_role, f"{username}@localhost",
                                         roles, password=scoped_password):
            raise SystemExit(f"could not create the user {username}")
        db.session.commit()
    scoped_headers = _login(client, username, scoped_password)
    return {"bundle": bundle, "row_level_security_rules": rules, "user": username,
            **_report(client, scoped_headers, full_data=True)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    check_parser = sub.add_parser("check")
    check_parser.add_argument("--user", required=True)
    check_parser.add_argument("--password", required=True)
    check_parser.add_argument("--out", required=True)
    check_parser.add_argument("bundles", nargs="+")
    scoped_parser = sub.add_parser("scoped")
    scoped_parser.add_argument("--user", required=True)
    scoped_parser.add_argument("--password", required=True)
    scoped_parser.add_argument("--out", required=True)
    scoped_parser.add_argument("--as-role", required=True)
    scoped_parser.add_argument("bundle")
    args = parser.parse_args(argv)
    if args.command == "scoped":
        with open(args.out, "w") as handle:
            json.dump(scoped(args.user, args.password, args.bundle, args.as_role), handle,
                      indent=1, default=str)
        return 0
    reports = check(args.user, args.password, args.bundles)
    with open(args.out, "w") as handle:
        json.dump(reports, handle, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
