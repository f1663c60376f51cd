"""Importing job feeds (CSV, Excel, JobPosting JSON) from a page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from zhijiao.core.actors import MemberRequest, Origin

from .. import forms, selectors, services


@require_http_methods(["GET", "POST"])
@login_required
def job_import(request: MemberRequest) -> HttpResponse:
    from ..imports import FeedError, parse_feed

    if not selectors.can_import_jobs(request.user):
        raise Http404
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    batch = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = parse_feed(upload.read(), filename=upload.name)
            batch = services.jobs_import(
                actor=request.user,
                rows=rows,
                feed=form.cleaned_data["feed"],
                filename=upload.name,
                campus=form.cleaned_data["campus"],
                origin=Origin.of(request),
            )
        except FeedError as exc:
            form.add_error("file", str(exc))
    return render(
        request,
        "employment/job_import.html",
        {"form": form, "batch": batch, "batches": list(selectors.import_batches(actor=request.user)[:10])},
        status=422 if form.errors else 200,
    )
