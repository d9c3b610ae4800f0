"""The reader's language: Arabic under /ar/, English without a prefix; Accept-Language decides without a choice.

Why the URL (config/urls.py, i18n_patterns with prefix_default_language=False) and not a ``lang``
parameter: every ``{% url %}`` and ``reverse()`` then carries the language by itself, so no link,
filter form or script can forget it, and a shared /ar/ link opens in Arabic for anyone. The English
URLs are the ones the site always had. The public cache keys on the path (and the language,
incidents/public/cache.py), so an Arabic page is never served to an English reader.

Without a choice, a browser whose Accept-Language prefers Arabic is sent from an English page to its
Arabic twin (302, ``Vary: Accept-Language, Cookie``). A choice is the switch link (a plain GET, so
public pages keep carrying no CSRF token): it remembers the language in Django's language cookie and
from then on the URL alone decides. A request with no Accept-Language stays English.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, get_supported_language_variant, gettext_noop, pgettext_lazy
from django.utils.translation.trans_real import DjangoTranslation, parse_accept_lang_header
from django.views.i18n import JavaScriptCatalog

from incidents.common.numerals import browser_locale

ARABIC = "ar"
# Answers that are data, not pages: never redirected by the browser's language.
NOT_PAGES = ("/api/", "/export/", "/static/", "/healthz", "/language/")


def preferred_language(accept_language):
    """The supported language code the Accept-Language header prefers most, or None.

    Follows RFC 9110 section 12.5.4 (quality values; parse_accept_lang_header sorts by them)."""
    for code, _quality in parse_accept_lang_header(accept_language or ""):
        if code == "*":
            return None
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def arabic_url(path):
    """The Arabic twin of an unprefixed path: /incidents/5/ -> /ar/incidents/5/."""
    return f"/{ARABIC}{path}"


def in_language(url, code):
    """A site-relative URL (path and query) in language `code`: /ar/x/?q <-> /x/?q."""
    prefix = get_language_from_path(url.split("?", 1)[0])
    if prefix:
        url = url[len(prefix) + 1:] or "/"
    return arabic_url(url) if code == ARABIC else url


class AcceptLanguageMiddleware:
    """Send a reader whose browser prefers Arabic, and who has made no choice, to the Arabic page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method in ("GET", "HEAD") and not get_language_from_path(request.path_info)
                and not request.path_info.startswith(NOT_PAGES)
                and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
                and preferred_language(request.META.get("HTTP_ACCEPT_LANGUAGE")) == ARABIC):
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(arabic_url(request.path) + (f"?{query}" if query else ""))
        else:
            response = self.get_response(request)
        if not get_language_from_path(request.path_info) and not request.path_info.startswith(NOT_PAGES):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def switch_language(request):
    """GET /language/?to=ar&next=/incidents/5/ : remember the choice, open `next` in that language.

    A plain link, not Django's set_language POST form: public pages carry no CSRF token. Errors: a
    missing or unknown ``to`` is a 400 naming the parameter; a ``next`` off this site goes to the home page.
    """
    code = request.GET.get("to", "")
    if code not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(
            f"to: choose one of {', '.join(dict(settings.LANGUAGES))}.", content_type="text/plain; charset=utf-8")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(in_language(target, code))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True)
    return response


@functools.lru_cache(maxsize=4)
def script_strings(language):
    """The scripts' messages in `language` (locale/<lang>/LC_MESSAGES/djangojs.po), msgid -> text.

    Pages hand them to their scripts as JSON (base.html, json_script "i18n-catalogue"; read by
    DZMap.gettext in reader.js): no script comes from anywhere but /static/ and none is inline."""
    if language == settings.LANGUAGE_CODE:
        return {}
    catalogue = JavaScriptCatalog()
    catalogue.translation = DjangoTranslation(language, domain="djangojs")
    return {msgid: text for msgid, text in catalogue.get_catalog().items() if isinstance(text, str)}


def language_context(request):
    """Template context: the switch's target (the same page in the other language), the direction,
    the scripts' messages in the page's language and the locale their numbers use (numerals.py)."""
    path = request.get_full_path()
    current = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    other = settings.LANGUAGE_CODE if current == ARABIC else ARABIC
    return {
        "script_strings": script_strings(current),
        "language_switch": {"code": other, "label": dict(settings.LANGUAGES)[other],
                            "href": f"/language/?{urlencode({'to': other, 'next': path})}"},
        "text_direction": "rtl" if current == ARABIC else "ltr",
        "number_locale": browser_locale(current),
    }


# Django's own month names (the `F` and `M` date formats), overridden in locale/ar with the Levantine
# names Syrian outlets use (incidents/common/arabic_names.py ARABIC_MONTHS), so a page never mixes
# "كانون الثاني" from our labels with "يناير" from Django's catalogue. Listed here for makemessages.
DJANGO_MONTHS = [
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
    gettext_noop("jan"), gettext_noop("feb"), gettext_noop("mar"), gettext_noop("apr"), gettext_noop("may"),
    gettext_noop("jun"), gettext_noop("jul"), gettext_noop("aug"), gettext_noop("sep"), gettext_noop("oct"),
    gettext_noop("nov"), gettext_noop("dec"),
    # the `N` format (the admin's dates): abbreviated months
    pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"), pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"), pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"), pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."), pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."), pgettext_lazy("abbrev. month", "Dec."),
]
