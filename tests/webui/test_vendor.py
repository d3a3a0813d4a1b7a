"""Front-end files from node_modules: the whitelist only."""

from __future__ import annotations

from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def test_node_modules_are_installed():
    assert NODE_MODULES.is_dir(), "front-end packages are missing: run `make setup` (npm ci)"


def test_htmx_2_is_served(client):
    with client.get("/vendor/htmx.min.js") as response:  # closes the file it sent
        assert response.status_code == 200
        assert response.mimetype in {"text/javascript", "application/javascript"}
        assert 'version:"2.' in response.get_data(as_text=True).replace(" ", "")


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js",
        "/vendor/bpmn-js/assets/bpmn-js.css",
        "/vendor/bpmn-js/assets/bpmn-font/font/bpmn.woff2",
    ],
)
def test_bpmn_js_assets_are_served(client, path):
    with client.get(path) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/htmx.org/package.json",
        "/vendor/bpmn-js/assets/../../package.json",
        "/vendor/bpmn-js/assets/%2e%2e/%2e%2e/package.json",
        "/vendor/bpmn-js/assets/README.md",
        "/vendor/../pyproject.toml",
    ],
)
def test_nothing_else_is_served(client, path):
    with client.get(path) as response:
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "marker"),
    [("/static/build/studio.js", "AlurStudio"), ("/static/build/studio.css", ".alur-studio")],
)
def test_studio_bundle_is_served_as_static(client, path, marker):
    """The analyst studio's bundle (npm run build, run by make setup) under Flask's static."""
    bundle = Path(__file__).resolve().parents[2] / "webui" / "static" / "build"
    assert bundle.is_dir(), "the studio bundle is missing: run `make setup` (npm run build)"
    with client.get(path) as response:
        assert response.status_code == 200
        assert marker in response.get_data(as_text=True)
