"""A discussion block's answers inside a unit (课堂讨论): the reader's own answers and the form, loaded by the
block's template with htmx (a page of its own without JavaScript). The run is the one the reader studies the
course in: of their enrolments, the most recently studied whose course holds the block."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhijiao.core.actors import MemberRequest
from zhijiao.core.views import service_errors

from .. import selectors, services
from ..forms import ReplyForm
from ..limits import check_post_rate


@require_http_methods(["GET", "HEAD", "POST"])
def block(request: MemberRequest, content_id: Any) -> HttpResponse:
    """Open to visitors for reading (a unit previewed without signing in loads this into the block: it says who
    answers here, rather than swapping the sign-in page into the unit); answering needs a signed-in learner."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    key = str(content_id)
    run, entry = selectors.prompt_of(actor=request.user, content_id=key)
    fragment = bool(request.headers.get("HX-Request"))
    form = ReplyForm(request.POST or None)
    status = 200
    if run is not None:
        services.prompts_register_once(run=run)
    if run is not None and request.method == "POST":
        if form.is_valid():
            check_post_rate(request)
            with service_errors(form) as outcome:
                services.prompt_reply(actor=request.user, run=run, content_id=key, body=form.cleaned_data["body"])
            if outcome.ok:
                if not fragment:
                    messages.success(request, _("发言成功"))
                    return redirect(request.path)
                form = ReplyForm()
            else:
                status = 422
        else:
            status = 422
    thread = selectors.prompt_thread(run=run, content_id=key) if run is not None else None
    context = {
        "run": run,
        "block": entry,
        "thread": thread,
        "answers": selectors.own_replies(actor=request.user, thread=thread),
        "form": form,
        "content_id": key,
    }
    template = "discussion/_prompt.html" if fragment else "discussion/prompt.html"
    return render(request, template, context, status=status)
