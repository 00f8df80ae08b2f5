"""The demo's published password never reaches a production database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from consultation.demo import seed as consultation_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick_consultation_seed(monkeypatch):
    """The consultation half adds comments, not accounts worth waiting for."""
    monkeypatch.setattr(consultation_seed, "seed_consultation", lambda: None)


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.exists()


def test_when_allowed_in_production_no_account_has_a_known_password(
    settings, quick_consultation_seed
):
    settings.DEBUG = False
    call_command("seed_demo", allow_production=True, verbosity=0)
    users = get_user_model().objects.all()
    assert users.filter(username="staff").exists()
    for user in users:
        assert not user.has_usable_password(), user.username
        assert not user.check_password("demo")


def test_an_existing_account_keeps_its_password(settings, quick_consultation_seed):
    admin = get_user_model().objects.create_user("admin", password="the-real-one-7")
    settings.DEBUG = False
    call_command("seed_demo", allow_production=True, verbosity=0)
    admin.refresh_from_db()
    assert admin.check_password("the-real-one-7")
