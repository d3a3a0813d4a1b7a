#!/usr/bin/env bash
# Production start of one app server: migrate the database, then exec gunicorn.
#
# Configuration is the environment only: ALUR_DATABASE_URL, ALUR_SECRET_KEY, ALUR_UPLOAD_DIR and
# the rest of docs/production.md; gunicorn's own (ALUR_BIND, ALUR_WORKERS, ...) are read by
# ops/gunicorn.conf.py. ALUR_DB_UPGRADE=0 skips the migration (ops/cluster.sh migrates once
# before it starts several servers). ALUR_VENV names the virtualenv [the repository's .venv].
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${ALUR_VENV:-$root/.venv}"
if [[ -x "$venv/bin/gunicorn" ]]; then
    PATH="$venv/bin:$PATH"
fi
if ! command -v gunicorn >/dev/null; then
    echo "serve.sh: gunicorn not found (pip install -e .)" >&2
    exit 1
fi
if [[ -z "${ALUR_SECRET_KEY:-}${SECRET_KEY:-}" ]]; then
    echo "serve.sh: ALUR_SECRET_KEY is not set (the same long random value on every server)" >&2
    exit 1
fi

cd "$root"  # webui is importable from here; the default SQLite file is instance/ here
if [[ "${ALUR_DB_UPGRADE:-1}" != "0" ]]; then
    alur db upgrade
fi
exec gunicorn --config "$root/ops/gunicorn.conf.py" "webui:create_app()"
