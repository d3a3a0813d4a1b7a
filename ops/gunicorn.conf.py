"""gunicorn settings for Alur, every one from the environment (ops/serve.sh passes this file).

ALUR_BIND           address:port to listen on (several: space-separated)  [127.0.0.1:8000]
ALUR_WORKERS        worker processes                              [2 x CPUs + 1, at most 8]
ALUR_THREADS        threads per worker (more than 1: gthread)     [1]
ALUR_TIMEOUT        seconds a request may take before its worker is restarted   [60]
ALUR_MAX_REQUESTS   requests before a worker is replaced (0: never)             [2000]
ALUR_ACCESS_LOG     access log file, '-' for stderr, '' for none                [-]
ALUR_LOG_LEVEL      gunicorn's error log level                                  [info]
ALUR_PIDFILE        where the master writes its pid ('' for none)               ['']
ALUR_CONTROL_SOCKET gunicorn's control socket for gunicornc ('' for none)       ['']
ALUR_PROFILE_DIR    profile every request with cProfile; each worker writes its
                    stats there when it exits (worker-<pid>.prof; `make load
                    LOAD_ARGS=--profile` sums them)                              ['']
"""

import cProfile
import multiprocessing
import os


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


bind = _env("ALUR_BIND", "127.0.0.1:8000").split()
workers = int(_env("ALUR_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 8))))
threads = int(_env("ALUR_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(_env("ALUR_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker's workflow cache grows with the instances it touched; replace workers now and then.
max_requests = int(_env("ALUR_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# No preload: each worker opens its own database pool after the fork (pools must not be shared).
preload_app = False
accesslog = os.environ.get("ALUR_ACCESS_LOG", "-") or None
# The combined format plus the time the worker spent on the request, in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = _env("ALUR_LOG_LEVEL", "info")
pidfile = os.environ.get("ALUR_PIDFILE") or None
# gunicorn's default control socket is one path per user: two servers on a machine would clash.
control_socket = os.environ.get("ALUR_CONTROL_SOCKET") or None
control_socket_disable = control_socket is None
proc_name = "alur-" + bind[0]
# Heartbeat files in memory: a worker on a full or slow disk is not taken for a hung one.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# X-Forwarded-* are read by the app itself (ALUR_TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"

# Profiling (ALUR_PROFILE_DIR): the profiler runs only while a request is handled, so the
# worker's idle wait for the next connection is not in the figures.
_profile_dir = os.environ.get("ALUR_PROFILE_DIR") or None
_profiler = cProfile.Profile() if _profile_dir else None

if _profiler is not None:

    def pre_request(worker, req):
        _profiler.enable()

    def post_request(worker, req, environ, resp):
        _profiler.disable()

    def worker_exit(server, worker):
        _profiler.disable()
        os.makedirs(_profile_dir, exist_ok=True)
        _profiler.dump_stats(os.path.join(_profile_dir, f"worker-{os.getpid()}.prof"))
