#!/usr/bin/env bash
# The tests start their own throwaway PostgreSQL cluster; they need the server binaries.
# Install them when missing (CI runs as root on Debian), or stop with a clear message.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL server binaries not found: installing the Debian package 'postgresql'"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
    exit 0
fi
echo "PostgreSQL server binaries (initdb, pg_ctl) are required by the tests." >&2
echo "Install them with: sudo apt-get install -y postgresql" >&2
exit 1
