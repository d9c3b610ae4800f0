"""Query-string parsing shared by every public endpoint: bad input is a 400 naming the parameter."""

from functools import wraps

from django.http import JsonResponse


class BadParameters(Exception):
    """Raised with {parameter: [messages]} when a query string cannot be used."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}


def whole_number(params, name, default, minimum=0, maximum=None):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameters({name: [f"“{raw}” is not a whole number."]}) from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise BadParameters({name: [f"Must be {bounds}."]})
    return value


def bad_parameters_response(errors):
    return JsonResponse({"error": "bad query parameters", "parameters": errors}, status=400)


def json_400_on_bad_parameters(view):
    """For JSON and CSV endpoints: turn BadParameters into a 400 JSON body naming each parameter."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameters as bad:
            return bad_parameters_response(bad.errors)

    return wrapper
