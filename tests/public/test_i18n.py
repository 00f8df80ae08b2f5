"""Chinese first; English under /en/, the language in the URL."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_site_speaks_chinese_even_to_a_browser_asking_for_english(client, site):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "法规案" in page and "Bills" not in page


def test_the_english_site_lives_under_en(client, site):
    home = client.get("/en/").content.decode()
    assert '<html lang="en">' in home
    assert ">Bills</a>" in home and "Bills in progress" in home
    assert 'href="/en/bills/"' in home  # its links stay English
    bill = client.get(f"/en/bills/{site['bill'].slug}/").content.decode()
    assert "Second reading: read for the second time on Aug. 28, 2024 at" in bill
    assert "Key dates" in bill and "Progress" in bill
    listing = client.get("/en/bills/").content.decode()
    assert "All stages" in listing and ">Second reading<" in listing


def test_choices_shown_on_public_pages_are_translated(client, site):
    comments = client.get(f"/en/bills/{site['bill'].slug}/comments/").content.decode()
    for label in ("Adopted", "Not adopted", "Already provided for by higher law"):
        assert label in comments
    points = client.get("/en/liaison-points/").content.decode()
    assert "Luzhou District" in points
    stats = client.get("/en/stats/").content.decode()
    assert "Resident" in stats and "By channel" in stats


def test_the_switch_links_to_the_same_page_in_the_other_language(client, site):
    chinese = client.get("/bills/?stage=second_reading").content.decode()
    assert 'href="/en/bills/?stage=second_reading" lang="en"' in chinese
    english = client.get("/en/bills/?stage=second_reading").content.decode()
    assert 'href="/bills/?stage=second_reading" lang="zh-Hans"' in english


def test_each_page_names_its_address_in_the_other_language(client, site):
    page = client.get("/bills/?stage=second_reading").content.decode()
    assert (
        '<link rel="alternate" hreflang="en" href="/en/bills/?stage=second_reading">'
        in page
    )


def test_a_language_cookie_changes_no_public_page(client, site):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="zh-hans">' in client.get("/bills/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert '<html lang="en">' in client.get("/en/bills/").content.decode()


def test_the_old_switch_links_go_to_the_page_in_that_language(client, site):
    response = client.get("/bills/", {"stage": "second_reading", "lang": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/en/bills/?stage=second_reading"
    assert "no-store" in response["Cache-Control"]
    back = client.get("/en/bills/", {"lang": "zh-hans"})
    assert back["Location"] == "/bills/"
    assert client.get("/", {"lang": "en"})["Location"] == "/en/"


def test_an_unknown_language_is_dropped_and_changes_nothing(client, site):
    response = client.get("/en/bills/", {"lang": "fr"})
    assert response.status_code == 302
    assert response["Location"] == "/en/bills/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_staff_pages_follow_the_language_last_switched_to(client, site, staff):
    client.force_login(staff)
    client.get("/bills/", {"lang": "en"})
    assert '<html lang="en">' in client.get("/staff/").content.decode()
    switch = client.get("/staff/").content.decode()
    assert 'href="/staff/?lang=zh-hans"' in switch  # one address for both
    client.get("/staff/", {"lang": "zh-hans"})
    assert '<html lang="zh-hans">' in client.get("/staff/").content.decode()


def test_the_api_speaks_english_when_asked_in_the_url(client, site):
    url = f"/api/v1/bills/{site['bill'].slug}/"
    assert client.get(url).json()["stage_display"] == "二审"
    english = client.get(url, {"lang": "en"})
    assert english.status_code == 200
    assert english.json()["stage_display"] == "Second reading"
    assert settings.LANGUAGE_COOKIE_NAME not in english.cookies
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(url).json()["stage_display"] == "二审"


def _public_template_strings() -> set[str]:
    strings: set[str] = set()
    paths = [TEMPLATES / "base.html", *(TEMPLATES / "public").glob("*.html")]
    for path in paths:
        strings.update(re.findall(r'{% translate "([^"]+)" %}', path.read_text()))
        strings.update(re.findall(r"{% translate '([^']+)' %}", path.read_text()))
    return strings


def test_every_string_of_the_public_templates_has_an_english_translation():
    strings = _public_template_strings()
    assert len(strings) > 100
    with translation.override("en"):
        missing = sorted(s for s in strings if translation.gettext(s) == s)
    assert not missing, missing


def test_the_english_site_title_is_english_throughout(client, site):
    for url in ("/en/", "/en/stats/", f"/en/bills/{site['bill'].slug}/"):
        page = client.get(url).content.decode()
        title = re.search(r"<title>([^<]*)</title>", page).group(1)
        assert "Changzhi" in title and "Open Local Legislation" in title, title
        # No Chinese left but the bill's own title.
        rest = title.replace(site["bill"].title, "")
        assert not re.search(r"[\u4e00-\u9fff]", rest), title
    assert "Changzhi People's Congress Standing Committee" in page
