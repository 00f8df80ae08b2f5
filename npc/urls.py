"""
Root URLs.

- ``public``: the public site (``npc.public``), Chinese at its plain addresses,
  English under /en/ (the language in the URL, where a shared cache can key on
  it: ``npc.public.middleware``);
- ``staff``: staff and clerk pages under /staff/, assembled from both apps (``npc.staff``);
- ``api``: the REST API under /api/v1/ (``npc.api``), schema and docs under /api/;
- /admin/ for everything else.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include("npc.staff.urls")),
    path("api/", include("npc.api")),
    # The challenge shown to a busy address on the public comment form.
    path("captcha/", include("captcha.urls")),
]
urlpatterns += i18n_patterns(
    # Following a bill by email: /bills/<slug>/follow/, /follow/confirm|unsubscribe/.
    path("", include("npc.public.urls_follow")),
    path("", include("npc.public.urls")),
    prefix_default_language=False,
)

# Errors outside any API view still answer JSON under /api/.
handler500 = "npc.core.errors.server_error"

if settings.DEBUG:
    # Uploaded documents, on the development server (the demo) only.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
