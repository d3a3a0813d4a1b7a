#!/usr/bin/env bash
# Two app servers and one background worker on one PostgreSQL database, on this machine:
# the servers stand in for two machines behind a load balancer (docs/production.md).
#
#   ops/cluster.sh start | stop | status
#
# ALUR_DATABASE_URL   postgresql://... (required: several servers need PostgreSQL)
# ALUR_RUN_DIR        pid files, logs and the shared secret key   [instance/cluster]
# ALUR_CLUSTER_HOST   address the servers listen on               [127.0.0.1]
# ALUR_CLUSTER_PORTS  one server per port                         ["8001 8002"]
# ALUR_WORKERS        gunicorn workers per server                 [3]
# ALUR_CLUSTER_WORKER 0: start no `alur worker`                   [1]
# ALUR_SECRET_KEY     the same on every server; when unset, one is made once in the run dir
# ALUR_UPLOAD_DIR     shared by all servers (on two machines: one network mount) [RUN_DIR/files]
# Everything else (ALUR_RATELIMIT_STORAGE_URI, ALUR_CALENDAR, ...) is passed on as it is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${ALUR_VENV:-$root/.venv}"
if [[ -x "$venv/bin/alur" ]]; then
    PATH="$venv/bin:$PATH"
fi
run_dir="${ALUR_RUN_DIR:-$root/instance/cluster}"
host="${ALUR_CLUSTER_HOST:-127.0.0.1}"
read -r -a ports <<<"${ALUR_CLUSTER_PORTS:-8001 8002}"

die() { echo "cluster.sh: $*" >&2; exit 1; }
alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
healthz() {  # prints the /healthz body; fails when the server does not answer 200
    python3 - "http://$host:$1/healthz" <<'PY'
import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as response:
        print(response.read().decode())
except urllib.error.HTTPError as error:
    print(error.read().decode().strip() or error)
    sys.exit(1)
except OSError as error:
    print(f"no answer: {error}")
    sys.exit(1)
PY
}

start() {
    [[ "${ALUR_DATABASE_URL:-}" == postgresql* ]] ||
        die "set ALUR_DATABASE_URL to a postgresql:// database (servers share one PostgreSQL)"
    mkdir -p "$run_dir"
    if [[ -z "${ALUR_SECRET_KEY:-}" ]]; then
        if [[ ! -s "$run_dir/secret-key" ]]; then
            (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' >"$run_dir/secret-key")
        fi
        ALUR_SECRET_KEY="$(cat "$run_dir/secret-key")"
    fi
    export ALUR_SECRET_KEY
    export ALUR_WORKERS="${ALUR_WORKERS:-3}"
    export ALUR_UPLOAD_DIR="${ALUR_UPLOAD_DIR:-$run_dir/files}"
    (cd "$root" && alur db upgrade)  # once, before any server starts
    for port in "${ports[@]}"; do
        pidfile="$run_dir/server-$port.pid"
        if alive "$pidfile"; then
            echo "server :$port already running (pid $(cat "$pidfile"))"
            continue
        fi
        rm -f "$pidfile"
        ALUR_BIND="$host:$port" ALUR_PIDFILE="$pidfile" ALUR_DB_UPGRADE=0 \
            setsid "$root/ops/serve.sh" >>"$run_dir/server-$port.log" 2>&1 </dev/null &
    done
    if [[ "${ALUR_CLUSTER_WORKER:-1}" != "0" ]] && alur worker --help >/dev/null 2>&1; then
        if alive "$run_dir/worker.pid"; then
            echo "worker already running (pid $(cat "$run_dir/worker.pid"))"
        else
            (cd "$root" && exec setsid alur worker >>"$run_dir/worker.log" 2>&1 </dev/null) &
            echo $! >"$run_dir/worker.pid"
        fi
    fi
    for port in "${ports[@]}"; do  # up when gunicorn wrote its pid and /healthz says ok
        for _ in $(seq 1 60); do
            if alive "$run_dir/server-$port.pid" && healthz "$port" >/dev/null; then
                continue 2
            fi
            sleep 0.5
        done
        tail -n 20 "$run_dir/server-$port.log" >&2 || true
        die "server :$port did not come up; log: $run_dir/server-$port.log"
    done
    status
}

stop() {  # TERM all (gunicorn finishes its requests), then KILL what is left after ALUR_STOP_WAIT s
    local pids=() names=() port i
    for port in "${ports[@]}" worker; do
        local file="$run_dir/server-$port.pid" name="server :$port"
        [[ "$port" == worker ]] && file="$run_dir/worker.pid" name="worker"
        if alive "$file"; then
            pids+=("$(cat "$file")") && names+=("$name")
            kill -TERM "${pids[-1]}" 2>/dev/null || true
        fi
        rm -f "$file"  # gunicorn removes its own on a clean exit
    done
    for i in "${!pids[@]}"; do
        for _ in $(seq 1 $((10 * ${ALUR_STOP_WAIT:-40}))); do
            kill -0 "${pids[$i]}" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "${pids[$i]}" 2>/dev/null; then
            echo "${names[$i]} (pid ${pids[$i]}) did not stop; killing it" >&2
            kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
        echo "${names[$i]} stopped"
    done
}

status() {
    local code=0
    for port in "${ports[@]}"; do
        if alive "$run_dir/server-$port.pid"; then
            echo "server :$port pid $(cat "$run_dir/server-$port.pid"): $(healthz "$port" || true)"
            healthz "$port" >/dev/null || code=1
        else
            echo "server :$port not running"
            code=1
        fi
    done
    if alive "$run_dir/worker.pid"; then
        echo "worker pid $(cat "$run_dir/worker.pid") running"
    else
        echo "worker not running"
    fi
    return "$code"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: ops/cluster.sh start|stop|status" ;;
esac
