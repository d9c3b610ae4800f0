from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from incidents.operations.language import switch_language

# Arabic under /ar/, English at the URLs the site always had (incidents/operations/language.py says why).
urlpatterns = [
    path("language/", switch_language, name="switch-language"),
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("incidents.urls")),
        prefix_default_language=False,
    ),
]

# A database failure outside a view (a session cookie read in middleware) is a 503 too.
handler500 = "incidents.operations.database_down.server_error"
