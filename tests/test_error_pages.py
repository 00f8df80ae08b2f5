"""Error pages speak the site's language and keep its layout."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_clerk_on_a_staff_only_page_gets_the_sites_403_page(client, clerk_a):
    client.force_login(clerk_a)
    response = client.get(reverse("staff:meeting-list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@override_settings(DEBUG=False)
def test_an_unknown_page_gets_the_sites_404_page(client):
    response = client.get("/bills/no-such-bill/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
