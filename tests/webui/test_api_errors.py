"""Unknown URLs and methods under /api/ answer in JSON; elsewhere the HTML error page."""

from __future__ import annotations


def test_unknown_api_url_is_json_404(client):
    for url in ("/api/nope", "/api/v1/nope", "/api/v1/instances/abc"):
        response = client.get(url)
        assert response.status_code == 404 and response.is_json, url
        assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_under_api_is_json_405(client):
    response = client.delete("/api/v1/openapi.json")
    assert response.status_code == 405 and response.is_json
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_other_unknown_urls_stay_html(client):
    response = client.get("/nope")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Halaman tidak ditemukan." in response.text
