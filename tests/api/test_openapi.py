"""The API describes itself: an OpenAPI document worth reading, and docs that work offline."""

import re

import pytest

from mannerly.api.main import api

URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def test_every_operation_has_a_tag_summary_and_documented_errors(schema):
    for method, path, operation in operations(schema):
        where = f"{method} {path}"
        assert operation.get("tags"), where
        assert operation.get("summary") and not operation["summary"].startswith(
            ("Get ", "Post ")
        ), where
        responses = {str(code): value for code, value in operation["responses"].items()}
        success = [code for code in responses if code.startswith("2")]
        assert len(success) == 1, where
        assert {"401", "429"} <= set(responses), where
        if "Staff only" in operation.get("description", ""):
            assert "404" in responses, where
        content = responses[success[0]]["content"]
        if "application/octet-stream" in content:  # a download: documented as binary
            assert content["application/octet-stream"]["schema"]["format"] == "binary", where
        else:
            assert "$ref" in str(content["application/json"]), where
        if "{" in path:
            assert "404" in responses, where
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(responses), where


def test_error_shape_and_examples_are_documented(schema):
    components = schema["components"]["schemas"]
    assert set(components["ErrorOut"]["properties"]) == {"detail", "code"}
    assert "errors" in components["ValidationErrorOut"]["properties"]
    examples = [
        prop.get("examples")
        for component in components.values()
        for prop in component.get("properties", {}).values()
    ]
    assert sum(1 for e in examples if e) >= 30


def test_both_ways_to_sign_in_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["BrowserSession"]["in"] == "cookie"
    assert "Bearer mnly_" in schema["info"]["description"]


def test_openapi_json_is_served(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Mannerly API"


def test_docs_page_loads_nothing_from_outside(client, db):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "https://" not in html and "http://" not in html and "//cdn" not in html
    assets = URL.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
    assert '"validatorUrl": null' in html  # the UI must not ask validator.swagger.io either


@pytest.mark.browser
def test_docs_render_in_a_browser_without_the_network(live_server, db):
    from playwright.sync_api import sync_playwright

    outside = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()

        def watch(request):
            if not request.url.startswith((live_server.url, "data:", "blob:")):
                outside.append(request.url)

        page.on("request", watch)
        page.route(
            re.compile(r"^(?!" + re.escape(live_server.url) + ").*"),
            lambda route: route.abort(),
        )
        page.goto(f"{live_server.url}/api/v1/docs")
        page.get_by_text("List tickets").first.wait_for(timeout=15000)
        assert page.get_by_text("Mannerly API").first.is_visible()
        browser.close()
    assert outside == []
