from django.apps import AppConfig


class PublicSiteConfig(AppConfig):
    """The public site, an app of its own so that its template tags are found."""

    name = "npc.public"
    label = "public_site"
    verbose_name = "Public site"
