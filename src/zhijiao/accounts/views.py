from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _stub(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


login_view = logout_view = register = profile = identity = tokens = _stub
