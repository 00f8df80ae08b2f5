"""Chinese first; the switch turns the public pages English."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _english(client) -> None:
    response = client.get("/", {"lang": "en"})  # the switch's "English" link
    assert response.status_code == 302


def test_the_site_speaks_chinese_even_to_a_browser_asking_for_english(client, site):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "法规案" in page and "Bills" not in page


def test_the_switch_turns_the_public_pages_english(client, site):
    _english(client)
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home
    assert ">Bills</a>" in home and "Bills in progress" in home
    bill = client.get(site["bill"].get_absolute_url()).content.decode()
    assert "Second reading: read for the second time on Aug. 28, 2024 at" in bill
    assert "Key dates" in bill and "Progress" in bill
    listing = client.get("/bills/").content.decode()
    assert "All stages" in listing and ">Second reading<" in listing


def test_choices_shown_on_public_pages_are_translated(client, site):
    _english(client)
    comments = client.get(
        site["bill"].get_absolute_url() + "comments/"
    ).content.decode()
    for label in ("Adopted", "Not adopted", "Already provided for by higher law"):
        assert label in comments
    points = client.get("/liaison-points/").content.decode()
    assert "Luzhou District" in points
    stats = client.get("/stats/").content.decode()
    assert "Resident" in stats and "By channel" in stats


def test_the_switch_goes_back_to_chinese(client, site):
    _english(client)
    client.get("/", {"lang": "zh-hans"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_the_api_takes_no_language_switch(client, site):
    response = client.get("/api/v1/bills/", {"lang": "en"})
    assert response.status_code == 200
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


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
    _english(client)
    for url in ("/", "/stats/", site["bill"].get_absolute_url()):
        page = client.get(url).content.decode()
        title = re.search(r"<title>([^<]*)</title>", page).group(1)
        assert "Changzhi" in title and "Open Local Legislation" in title, title
        # No Chinese left but the bill's own title.
        rest = title.replace(site["bill"].title, "")
        assert not re.search(r"[\u4e00-\u9fff]", rest), title
    assert "Changzhi People's Congress Standing Committee" in page
