"""The request a signed-in member makes, for the type checker.

A page behind ``login_required``, an API operation behind the router's authentication and the admin all see a
signed-in, active member in ``request.user`` (Django's session backend turns a deactivated account into a visitor
before a view runs), and the services that record who acted take that ``User``. Annotating such a view's request
as ``MemberRequest`` says so once instead of narrowing ``request.user`` in every view (the pattern django-stubs
documents for ``login_required`` views). Public pages and operations keep ``HttpRequest`` and hand their
``request.user`` (an ``Actor``) to the selectors.
"""

from django.http import HttpRequest

from zhijiao.accounts.models import User


class MemberRequest(HttpRequest):
    user: User
