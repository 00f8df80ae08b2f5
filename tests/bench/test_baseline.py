"""The baseline page exists only under the benchmark's settings."""

import pytest
from django.test import modify_settings, override_settings

pytestmark = pytest.mark.django_db


def test_the_app_has_no_baseline_page(client):
    assert client.get("/bench/fortunes/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
@modify_settings(INSTALLED_APPS={"append": "bench"})
def test_the_baseline_page_lists_thirteen_sorted_fortunes_in_one_query(
    client, django_assert_num_queries, settings
):
    from bench import views

    views.create_table()
    with django_assert_num_queries(1):
        response = client.get("/bench/fortunes/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<tr><td>") == 13
    assert "&lt;script&gt;" in body
    assert body.index("A bad random") < body.index("フレームワーク")
