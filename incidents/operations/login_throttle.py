"""Login throttling against password guessing (django-axes).

Every HTTP login (the admin login form, Django's LoginView) passes the request
to authenticate(), and axes counts failures per user name and address. Calls
without a request, such as the test client's login() or a shell, cannot come
from an attacker over the network; axes' own backend would refuse them with an
exception, so this backend lets them through to the model backend unchecked.
"""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
