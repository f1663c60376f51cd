from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _stub(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return render(request, "base.html")


home = language = topics = topic = article = healthz = _stub
