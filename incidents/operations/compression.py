"""Compressed answers for anonymous visitors only: public pages and JSON are gzipped, signed-in pages are not.

Most readers are on poor connections (issue 16 point 10): gzip makes the dashboard's HTML and the
map and timeline JSON several times smaller. Django's own GZipMiddleware does the work (it skips
small bodies, clients that do not accept gzip, and marks a strong ETag weak, which keeps the public
cache's 304s working). It is limited to anonymous requests because of BREACH: a compressed answer
that holds a secret and reflects the attacker's input leaks the secret through its length. Anonymous
answers hold no secret (no session; the CSRF token Django puts in a form is masked afresh in every
answer), while a signed-in analyst's pages hold unpublished work beside reflected search terms, so
those go uncompressed. docs/OPERATIONS.md, Compression and BREACH, says more.
"""

from django.middleware.gzip import GZipMiddleware


class AnonymousGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for requests without a signed-in user. Must come after AuthenticationMiddleware."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        return super().process_response(request, response)
