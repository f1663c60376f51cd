"""Class pages: a teacher's classes and assignments, students joining and completing them, parents following."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijiao.core.views import service_errors

from .. import selectors, services
from ..forms import AddStudentForm, AssignmentForm, ClassForm, JoinForm
from ..models import Assignment, SchoolClass
from .resources import back_to_next


@require_POST
@login_required
def resource_complete(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_resource(actor=request.user, resource_id=pk)
    services.progress_complete(student=request.user, resource=found)
    messages.success(request, _("已记录为完成"))
    return back_to_next(request, found.get_absolute_url())


@login_required
def classes(request: HttpRequest) -> HttpResponse:
    """Everyone's class page: a teacher's classes, a student's assignments, a parent's children."""
    schools = selectors.teacher_schools(request.user)
    class_form = ClassForm(request.POST or None, schools=schools) if schools else None
    join_form = JoinForm()
    if request.method == "POST":
        if request.POST.get("action") == "join":
            join_form = JoinForm(request.POST)
            if join_form.is_valid():
                with service_errors(join_form) as outcome:
                    joined = services.class_join(student=request.user, join_code=join_form.cleaned_data["join_code"])
                if outcome.ok:
                    messages.success(request, _("已加入“%(name)s”") % {"name": joined.name})
                    return redirect("k12:classes")
        elif class_form is not None and class_form.is_valid():
            with service_errors(class_form) as outcome:
                made = services.class_create(
                    actor=request.user,
                    school=class_form.cleaned_data["school"],
                    name=class_form.cleaned_data["name"],
                    grade=class_form.cleaned_data["grade"],
                )
            if outcome.ok:
                messages.success(request, _("班级已创建，班级码 %(code)s") % {"code": made.join_code})
                return redirect(made)
        elif class_form is None:
            raise PermissionDenied(_("只有教师可以创建班级"))
    context = {
        "class_form": class_form,
        "join_form": join_form,
        "taught": selectors.classes_taught(user=request.user),
        "joined": selectors.classes_joined(user=request.user),
        "assignments": selectors.assignments_of_student(student=request.user),
        "children": selectors.children_assignments(parent=request.user),
    }
    return render(request, "k12/classes.html", context, status=422 if request.method == "POST" else 200)


@login_required
def klass(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_class(actor=request.user, class_id=pk)
    can_manage = selectors.can_manage_class(request.user, found)
    add_form = AddStudentForm()
    assign_form = AssignmentForm(actor=request.user)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Http404
        action = request.POST.get("action")
        if action == "add":
            add_form = AddStudentForm(request.POST)
            if add_form.is_valid():
                with service_errors(add_form) as outcome:
                    services.class_add_student(actor=request.user, klass=found, phone=add_form.cleaned_data["phone"])
                if outcome.ok:
                    messages.success(request, _("学生已加入班级"))
                    return redirect(found)
        elif action == "remove":
            services.class_remove_student(
                actor=request.user, klass=found, student_id=int(request.POST.get("student", 0))
            )
            messages.success(request, _("已移出班级"))
            return redirect(found)
        elif action == "assign":
            assign_form = AssignmentForm(request.POST, actor=request.user)
            if assign_form.is_valid():
                made = _assign(request, found, assign_form)
                if made is not None:
                    messages.success(request, _("任务已布置"))
                    return redirect(made)
        status = 422
    context = {
        "klass": found,
        "can_manage": can_manage,
        "members": selectors.class_members(klass=found) if can_manage else [],
        "assignments": selectors.class_assignments(klass=found),
        "add_form": add_form,
        "assign_form": assign_form,
        "join_url": request.build_absolute_uri(reverse("k12:classes")),
    }
    return render(request, "k12/class.html", context, status=status)


def _assign(request: HttpRequest, found: SchoolClass, form: AssignmentForm) -> Assignment | None:
    data = form.cleaned_data  # the choosers offered only what this teacher may assign, and checked it again
    with service_errors(form) as outcome:
        made = services.assignment_create(
            actor=request.user,
            klass=found,
            purpose=data["purpose"],
            due_date=data["due_date"],
            title=data.get("title", ""),
            note=data.get("note", ""),
            lesson=data.get("lesson"),
            collection=data.get("collection"),
            resources=[data["resource"]] if data.get("resource") else [],
        )
    return made if outcome.ok else None


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_assignment(actor=request.user, assignment_id=pk)
    can_manage = selectors.can_manage_class(request.user, found.klass)
    resources = selectors.assignment_resources(assignment=found)
    mine = {row.resource_id: row for row in selectors.progress_rows(student=request.user, resources=resources)}
    context = {
        "assignment": found,
        "resources": [(item, mine.get(item.pk)) for item in resources],
        "can_manage": can_manage,
        "report": selectors.assignment_report(assignment=found) if can_manage else [],
    }
    return render(request, "k12/assignment.html", context)
