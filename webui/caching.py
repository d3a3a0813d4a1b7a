"""What the browser need not fetch twice: compression, fingerprinted assets, diagram validators.

- Responses are compressed (Brotli, zstd or gzip, whichever the client accepts) by
  Flask-Compress: pages, JSON, CSS, JavaScript, SVG and BPMN XML.
- Every URL of a static or vendor file carries the first characters of the file's SHA-256 as
  ``?v=``; a request whose ``v`` matches the file is cached for a year as immutable, so a new
  build or a new library version changes the URL instead of waiting for caches to expire.
  Files fetched by relative URLs from inside a stylesheet (fonts) keep the short default.
- Generated diagrams answer with a weak ETag made from what they are drawn from (the version's
  SHA-256 and the instance's progress); a matching If-None-Match gets a 304 before anything is
  drawn. They are ``private, no-cache``: kept by the browser, asked again every time.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from flask_compress import Compress

YEAR = 365 * 24 * 3600
DIGEST_CHARS = 12


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "zstd", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 512)
    Compress(app)
    app.url_defaults(_fingerprint)
    app.after_request(_immutable)


def _fingerprint(endpoint: str, values: dict) -> None:
    path = _asset_path(endpoint, values)
    if path is not None:
        values.setdefault("v", digest(str(path)))


def _immutable(response: Response) -> Response:
    if request.endpoint and response.status_code == 200 and "v" in request.args:
        path = _asset_path(request.endpoint, dict(request.view_args or {}))
        if path is not None and request.args["v"] == digest(str(path)):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
            response.expires = None
    return response


def _asset_path(endpoint: str, values: dict) -> Path | None:
    """The file a static or vendor URL names, when it is one file the app knows."""
    if endpoint == "static" and "filename" in values:
        path = Path(current_app.static_folder or "") / values["filename"]
    elif endpoint == "vendor.asset" and "name" in values:
        from webui.views.assets import vendor_file

        path = vendor_file(values["name"])
    else:
        return None
    return path if path is not None and path.is_file() else None


def digest(path: str) -> str:
    """The file's content fingerprint, read once per file and modification time."""
    file = Path(path)
    return _digest(path, file.stat().st_mtime_ns)


@lru_cache(maxsize=256)
def _digest(path: str, _mtime: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:DIGEST_CHARS]


def validator(*parts: object) -> str:
    """A weak ETag value from what a generated response is made of."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def not_modified(tag: str) -> Response | None:
    """A 304 when the browser already holds this tag; None when the response must be made."""
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
        revalidate(response, tag)
        return response
    return None


def revalidate(response: Response, tag: str) -> Response:
    response.set_etag(tag, weak=True)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.cache_control.max_age = None
    response.cache_control.public = None
    response.expires = None
    return response
