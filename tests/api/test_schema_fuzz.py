"""
Schema-driven fuzzing: every operation of /api/schema/, with inputs generated
from the schema (valid and invalid), as the public and as staff.

Every check schemathesis offers runs (its default set, as ``--checks all``):
no server error; a documented status code, content type and headers, and a
body of the documented shape; a request the description allows is not refused
(400) and one it does not allow is; a token the operation needs is not
ignored; and, in the coverage phase, a missing required header or an
undocumented method is refused. The run is bounded (a few examples per
operation and mode) to stay around two minutes; set API_FUZZ_EXAMPLES for a
longer one, API_FUZZ_COVERAGE=0 to skip the coverage phase.
"""

import os
import re

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from npc.accounts.services import issue_token

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def _in_test_transaction():
    """
    Keep the test's database connection open across the app's requests.

    Django closes "old" connections when a request starts and ends; the test
    client switches that off, and so must a WSGI call made by the fuzzer, or the
    test's transaction would be closed under it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(_in_test_transaction, consultation_a, consultation_b, meetings):
    """Records for the generated requests to find, now and then."""


# The API's own description, as the app serves it (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.generation.update(
    modes=["positive", "negative"],
    # No NUL character in generated strings: PostgreSQL text cannot hold one,
    # so DRF refuses it in every string field (400), which a description could
    # only say with a pattern on every string of the API.
    allow_x00=False,
)


def _cap_lengths(node: object, cap: int) -> None:
    """Lower every maxLength above ``cap`` to it, in place."""
    if isinstance(node, dict):
        if isinstance(node.get("maxLength"), int) and node["maxLength"] > cap:
            node["maxLength"] = cap
        for value in node.values():
            _cap_lengths(value, cap)
    elif isinstance(node, list):
        for value in node:
            _cap_lengths(value, cap)


# A negative case for a string of maxLength N asks Hypothesis for one of at least
# N + 1 characters, which it refuses beyond its buffer (8 KiB) with an error of
# the schema; which operation meets that depends on the whole description, so
# any new endpoint could bring it up. The fuzzer sees long texts (comments,
# explanations: 100,000 characters) capped below the buffer; their limits are
# tested by the API's own tests.
_cap_lengths(schema.raw_schema, 8 * 1024 - 1)
# Bill slugs: Unicode letters, digits, hyphens and underscores (Python's \w);
# no ECMA-262 pattern can say it, so the description names the format.
schemathesis.openapi.format(
    "unicode-slug", st.from_regex(r"\A[-\w]{1,200}\Z", fullmatch=True)
)
# The coverage phase (boundary values of every parameter, deterministic) is
# where a missing required header and an undocumented method are tried; it
# doubles the run time (to about two minutes) and API_FUZZ_COVERAGE=0 skips it.
schema.config.phases.update(
    phases=["examples", "fuzzing"]
    + ([] if os.environ.get("API_FUZZ_COVERAGE") == "0" else ["coverage"])
)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_the_public_meets_no_error_and_no_surprise(case, records):
    # No checks named: schemathesis runs all it has.
    case.call_and_validate()


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_staff_meet_no_error_and_no_surprise(case, records, staff):
    _, key = issue_token(user=staff)
    case.call_and_validate(headers={"Authorization": f"Token {key}"})


# --- the interactive docs ---------------------------------------------------------


def test_the_docs_page_loads_everything_from_this_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(urls) == 5  # icon, stylesheet, two bundles, the start-up script
    assert all(url.startswith("/") and not url.startswith("//") for url in urls)
    assert not re.search(r"https?://", html)
    # Nothing inline: every script has a src, and there is no style element.
    assert "<style" not in html
    assert all("src=" in attrs for attrs in re.findall(r"<script([^>]*)>", html))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    script = client.get(re.search(r'<script src="(/api/docs/\?[^"]+)"', html)[1])
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    assert "application/javascript" in script["Content-Type"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_runs_under_the_sites_csp_with_no_outside_request(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else 0)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(live_server.url + "/api/docs/")
        page.wait_for_selector(".opblock", timeout=20_000)
        operations = page.locator(".opblock").count()
        browser.close()
    assert operations >= 40
    assert not errors, errors
    outside = [u for u in requests if not u.startswith(live_server.url)]
    assert not outside, outside
