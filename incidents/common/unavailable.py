"""The one way to answer "503, try again later": the database is down, busy or too slow.

Every such answer carries Retry-After (RFC 9110 section 10.2.3, seconds) so that scripts and browsers
on poor connections wait instead of hammering, and says in words that nothing was lost or changed.
Programs get JSON `{"error": <short code or sentence>, "message": <sentence>, ...}`; pages a line of
plain text (a template could itself need the database that is failing).
"""

from django.http import HttpResponse, JsonResponse


def service_unavailable(message, retry_after, *, error=None, as_json=True, **extra):
    """A 503 response.

    `message`: the sentence a reader sees (already translated); `retry_after`: whole seconds;
    `error`: JSON's "error" value (a short code; the message when None); `as_json`: JSON for
    programs, else plain text; `extra`: more JSON keys (e.g. `parameters` naming the busy one).
    """
    if as_json:
        body = {"error": message if error is None else error, **({} if error is None else {"message": message})}
        response = JsonResponse({**body, **extra}, status=503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(retry_after))
    return response
