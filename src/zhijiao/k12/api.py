"""The K-12 API: the catalogue, resources and their review, 云码 resolution and batches, classes, progress."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile

from zhijiao.core.actors import Actor
from zhijiao.core.api_auth import session_or_token
from zhijiao.core.api_errors import ErrorOut
from zhijiao.core.api_parser import InSchema
from zhijiao.core.errors import NotFound
from zhijiao.core.pagination import Page, PageParams, paginate
from zhijiao.core.params import Id, Int
from zhijiao.core.ratelimit import rate_limit
from zhijiao.orgs.selectors import organization_get

from . import selectors, services
from .codes import PrintedCode, code_url, sheet_pdf
from .models import Assignment, Book, Code, CodeBatch, Collection, KnowledgePoint, Lesson, Resource, SchoolClass
from .schemas import (
    AddStudentIn,
    AssignmentIn,
    AssignmentOut,
    BatchIn,
    BatchOut,
    BookOut,
    BookTreeOut,
    ClassIn,
    ClassOut,
    CodeOut,
    CodeResolvedOut,
    ColumnKey,
    JoinIn,
    LessonOut,
    MyAssignmentOut,
    ProgressIn,
    ProgressOut,
    ReasonIn,
    RelinkIn,
    ResourceKindKey,
    ResourceOut,
    StageKey,
    StudentProgressOut,
    SubjectOut,
)

router = Router(tags=["k12"], auth=session_or_token)
NOT_FOUND: dict[int, Any] = {404: ErrorOut}


# --- Shapes -------------------------------------------------------------------------------------------------------


def book_out(book: Book) -> dict[str, Any]:
    return {
        "id": book.pk,
        "subject": book.subject.name,
        "stage": book.subject.stage,
        "edition": book.edition.name,
        "grade": book.grade,
        "volume": book.volume,
        "label": book.label,
        "url": book.get_absolute_url(),
    }


def point_out(point: KnowledgePoint) -> dict[str, Any]:
    return {"id": point.pk, "title": point.title, "url": point.get_absolute_url()}


def resource_out(resource: Resource) -> dict[str, Any]:
    has_file = bool(resource.file)
    return {
        "id": resource.pk,
        "kind": resource.kind,
        "title": resource.title,
        "description": resource.description,
        "teacher_name": resource.teacher_name,
        "school_name": resource.school_name,
        "duration_seconds": resource.duration_seconds,
        "size_bytes": resource.size_bytes,
        "licence": resource.licence,
        "tags": resource.tag_list,
        "status": resource.status,
        "column": resource.column,
        "lesson_id": resource.lesson_id,
        "url": resource.get_absolute_url(),
        "file_url": reverse("k12:media-file", args=[resource.pk]) if has_file else None,
        "poster_url": reverse("k12:media-poster", args=[resource.pk]) if resource.poster else None,
        "download_url": reverse("k12:media-file", args=[resource.pk]) + "?download=1" if has_file else None,
        "external_url": resource.url or None,
        "published_at": resource.published_at,
    }


def lesson_out(lesson: Lesson, resources: list[Resource]) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "unit": lesson.unit.title,
        "book": book_out(lesson.unit.book),
        "points": [point_out(point) for point in lesson.points.order_by("position")],
        "resources": [resource_out(item) for item in resources],
    }


def code_out(code: Code) -> dict[str, Any]:
    return {
        "code": code.code,
        "status": code.status,
        "version": code.version,
        "lesson_id": code.lesson_id,
        "point_id": code.point_id,
        "title": code.target_title,
        "url": code.get_absolute_url(),
    }


def batch_out(batch: CodeBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "title": batch.title,
        "book_id": batch.book_id,
        "collection_id": batch.collection_id,
        "codes": [code_out(code) for code in selectors.batch_codes(batch=batch)],
        "sheet_url": reverse("api:k12_batch_sheet", args=[batch.pk]),
    }


def class_out(klass: SchoolClass, actor: Actor) -> dict[str, Any]:
    return {
        "id": klass.pk,
        "name": klass.name,
        "grade": klass.grade,
        "school": klass.school.name,
        "teacher": str(klass.teacher or ""),
        "join_code": klass.join_code if selectors.can_manage_class(actor, klass) else None,
    }


def assignment_out(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "class_id": assignment.klass_id,
        "title": assignment.title,
        "purpose": assignment.purpose,
        "due_date": assignment.due_date,
        "resource_ids": [item.resource_id for item in assignment.items.order_by("position")],
    }


# --- Catalogue ----------------------------------------------------------------------------------------------------


@router.get(
    "/stages/{stage}/subjects",
    response=list[SubjectOut],
    auth=None,
    operation_id="k12_subject_list",
    summary="学段的学科",
)
def subject_list(request: HttpRequest, stage: StageKey) -> Any:
    return selectors.stage_subjects(stage=stage)


@router.get(
    "/subjects/{subject_id}/books",
    response={200: list[BookOut], **NOT_FOUND},
    auth=None,
    operation_id="k12_book_list",
    summary="学科的教材（按版本、年级）",
)
def book_list(request: HttpRequest, subject_id: Id) -> Any:
    subject = selectors.subject_get(subject_id=subject_id)
    return [book_out(book) for shelf in selectors.subject_shelves(subject=subject) for book in shelf.books]


@router.get(
    "/books/{book_id}",
    response={200: BookTreeOut, **NOT_FOUND},
    auth=None,
    operation_id="k12_book_get",
    summary="教材目录：单元、课时、知识点",
)
def book_get(request: HttpRequest, book_id: Id) -> Any:
    book = selectors.book_get(book_id=book_id)
    units = [
        {
            "id": unit.pk,
            "title": unit.title,
            "lessons": [
                {
                    "id": lesson.pk,
                    "title": lesson.title,
                    "url": lesson.get_absolute_url(),
                    "points": [point_out(point) for point in lesson.points.all()],
                }
                for lesson in unit.lessons.all()
            ],
        }
        for unit in selectors.book_tree(book=book)
    ]
    return {**book_out(book), "units": units}


@router.get(
    "/lessons/{lesson_id}",
    response={200: LessonOut, **NOT_FOUND},
    auth=None,
    operation_id="k12_lesson_get",
    summary="课时及其资源（教师讲解在前）",
)
def lesson_get(request: HttpRequest, lesson_id: Id) -> Any:
    lesson = selectors.lesson_get(lesson_id=lesson_id)
    return lesson_out(lesson, selectors.lesson_resources(lesson=lesson))


# --- Resources ----------------------------------------------------------------------------------------------------


@router.get("/resources", response=Page[ResourceOut], auth=None, operation_id="k12_resource_list", summary="已发布资源")
def resource_list(
    request: HttpRequest,
    page: Query[PageParams],
    kind: ResourceKindKey | None = None,
    column: ColumnKey | None = None,
    subject_id: Id | None = None,
    grade: Int | None = None,
    lesson_id: Id | None = None,
    book_id: Id | None = None,
) -> Any:
    result = paginate(
        selectors.resource_list(
            kind=kind, column=column, subject_id=subject_id, grade=grade, lesson_id=lesson_id, book_id=book_id
        ),
        page,
    )
    result["items"] = [resource_out(item) for item in result["items"]]
    return result


@router.get(
    "/resources/{resource_id}",
    response={200: ResourceOut, **NOT_FOUND},
    auth=None,
    operation_id="k12_resource_get",
    summary="资源",
)
def resource_get(request: HttpRequest, resource_id: Id) -> Any:
    return resource_out(selectors.access_resource(actor=request.user, resource_id=resource_id))


class UploadIn(InSchema):
    kind: ResourceKindKey
    title: str
    description: str = ""
    teacher_name: str = ""
    school_name: str = ""
    tags: str = ""
    url: str = ""
    lesson_id: Id | None = None
    column: ColumnKey | None = None
    is_explanation: bool = False


@router.post(
    "/resources",
    response={201: ResourceOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="k12_resource_upload",
    summary="上传资源（multipart；按内容识别文件类型，保存为草稿）",
)
def resource_upload(
    request: HttpRequest,
    data: Form[UploadIn],
    file: UploadedFile | None = File(None),  # noqa: B008 - ninja's way to declare an optional upload
    poster: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
    lesson = selectors.lesson_get(lesson_id=data.lesson_id) if data.lesson_id else None
    made = services.resource_create(
        actor=request.user,
        kind=data.kind,
        title=data.title,
        description=data.description,
        teacher_name=data.teacher_name,
        school_name=data.school_name,
        tags=data.tags,
        url=data.url,
        file=file,
        poster=poster,
        lesson=lesson,
        column=data.column or "",
        is_explanation=data.is_explanation,
    )
    return 201, resource_out(made)


def _review(request: HttpRequest, resource_id: Id, action: str, reason: str = "") -> Any:
    resource = selectors.access_resource(actor=request.user, resource_id=resource_id)
    if action == "submit":
        services.resource_submit(actor=request.user, resource=resource)
    elif action == "publish":
        services.resource_publish(actor=request.user, resource=resource)
    elif action == "reject":
        services.resource_reject(actor=request.user, resource=resource, reason=reason)
    else:
        services.resource_withdraw(actor=request.user, resource=resource, reason=reason)
    return resource_out(resource)


REVIEW_RESPONSES: dict[int, Any] = {200: ResourceOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.post(
    "/resources/{resource_id}/submit",
    response=REVIEW_RESPONSES,
    operation_id="k12_resource_submit",
    summary="提交审核",
)
def resource_submit(request: HttpRequest, resource_id: Id) -> Any:
    return _review(request, resource_id, "submit")


@router.post(
    "/resources/{resource_id}/publish",
    response=REVIEW_RESPONSES,
    operation_id="k12_resource_publish",
    summary="审核通过并发布（平台工作人员）",
)
def resource_publish(request: HttpRequest, resource_id: Id) -> Any:
    return _review(request, resource_id, "publish")


@router.post(
    "/resources/{resource_id}/reject",
    response=REVIEW_RESPONSES,
    operation_id="k12_resource_reject",
    summary="退回（需说明原因）",
)
def resource_reject(request: HttpRequest, resource_id: Id, data: ReasonIn) -> Any:
    return _review(request, resource_id, "reject", data.reason)


@router.post(
    "/resources/{resource_id}/withdraw",
    response=REVIEW_RESPONSES,
    operation_id="k12_resource_withdraw",
    summary="撤回已发布资源（需说明原因）",
)
def resource_withdraw(request: HttpRequest, resource_id: Id, data: ReasonIn) -> Any:
    return _review(request, resource_id, "withdraw", data.reason)


# --- 云码 ----------------------------------------------------------------------------------------------------------


@router.get(
    "/codes/{code}",
    response={200: CodeResolvedOut, **NOT_FOUND},
    auth=None,
    operation_id="k12_code_resolve",
    summary="解析云码（计入扫码次数；不区分大小写）",
)
def code_resolve(request: HttpRequest, code: str) -> Any:
    rate_limit(request, "k12.code", *selectors.code_scan_rate())  # one counter with /q/<code>
    resolved = selectors.resolve_code(code=code)
    if resolved is None or resolved.status != Code.Status.PUBLISHED:
        raise NotFound(_("云码不存在或尚未发布"))
    services.scan_record(code_id=resolved.code_id)
    point = selectors.point_get(point_id=resolved.point_id) if resolved.point_id else None
    lesson = point.lesson if point else selectors.lesson_get(lesson_id=resolved.lesson_id or 0)
    resources = selectors.point_resources(point=point) if point else selectors.lesson_resources(lesson=lesson)
    return {
        "code": resolved.code,
        "lesson": lesson_out(lesson, resources),
        "point": point_out(point) if point else None,
    }


@router.post(
    "/batches",
    response={201: BatchOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="k12_batch_generate",
    summary="为教材（或合集）生成云码批次（草稿）",
)
def batch_generate(request: HttpRequest, data: BatchIn) -> Any:
    book = selectors.book_get(book_id=data.book_id) if data.book_id else None
    collection: Collection | None = None
    if data.collection_id:
        collection = selectors.access_collection(actor=request.user, collection_id=data.collection_id)
    batch = services.code_batch_generate(
        actor=request.user, book=book, collection=collection, point_ids=data.point_ids, title=data.title
    )
    return 201, batch_out(batch)


@router.get(
    "/batches/{batch_id}",
    response={200: BatchOut, **NOT_FOUND},
    operation_id="k12_batch_get",
    summary="云码批次",
)
def batch_get(request: HttpRequest, batch_id: Id) -> Any:
    return batch_out(selectors.access_batch(actor=request.user, batch_id=batch_id))


@router.post(
    "/batches/{batch_id}/publish",
    response={200: BatchOut, **NOT_FOUND},
    operation_id="k12_batch_publish",
    summary="发布批次中的草稿云码",
)
def batch_publish(request: HttpRequest, batch_id: Id) -> Any:
    batch = selectors.access_batch(actor=request.user, batch_id=batch_id)
    services.code_batch_publish(actor=request.user, batch=batch)
    return batch_out(batch)


@router.get(
    "/batches/{batch_id}/sheet.pdf",
    response={200: None, **NOT_FOUND},
    operation_id="k12_batch_sheet",
    url_name="k12_batch_sheet",
    summary="批次的 A4 打印版 PDF（二维码纠错等级 H）",
)
def batch_sheet(request: HttpRequest, batch_id: Id) -> HttpResponse:
    batch = selectors.access_batch(actor=request.user, batch_id=batch_id)
    base = request.build_absolute_uri("/")
    items = [
        PrintedCode(
            code=code.code,
            title=code.target_title,
            subtitle=code.lesson.unit.title if code.lesson else (code.point.lesson.title if code.point else ""),
            url=code_url(code.code, base_url=base),
        )
        for code in selectors.batch_codes(batch=batch)
    ]
    response = HttpResponse(sheet_pdf(title=batch.title, codes=items), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="yunma-batch-{batch.pk}.pdf"'
    return response


@router.post(
    "/codes/{code_id}/relink",
    response={200: CodeOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="k12_code_relink",
    summary="修改云码指向（已发布的需确认并说明原因；留有版本记录）",
)
def code_relink(request: HttpRequest, code_id: Id, data: RelinkIn) -> Any:
    code = selectors.access_code(actor=request.user, code_id=code_id)
    if bool(data.lesson_id) == bool(data.point_id):
        raise ValidationError({"lesson_id": [_("请填写一个课时编号或一个知识点编号")]})
    target: Lesson | KnowledgePoint
    if data.lesson_id:
        target = selectors.lesson_get(lesson_id=data.lesson_id)
    else:
        target = selectors.point_get(point_id=data.point_id or 0)
    updated = services.code_relink(
        actor=request.user,
        code=code,
        target=target,
        reason=data.reason,
        confirm_published=data.confirm_published,
    )
    return code_out(updated)


# --- Classes and assignments -------------------------------------------------------------------------------------


@router.get("/classes", response=list[ClassOut], operation_id="k12_class_list", summary="我的班级")
def class_list(request: HttpRequest) -> Any:
    taught = list(selectors.classes_taught(user=request.user))
    joined = [item for item in selectors.classes_joined(user=request.user) if item not in taught]
    return [class_out(item, request.user) for item in [*taught, *joined]]


@router.post(
    "/classes",
    response={201: ClassOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="k12_class_create",
    summary="教师在本校创建班级",
)
def class_create(request: HttpRequest, data: ClassIn) -> Any:
    school = organization_get(organization_id=data.school_id)
    klass = services.class_create(actor=request.user, school=school, name=data.name, grade=data.grade)
    return 201, class_out(klass, request.user)


@router.post(
    "/classes/join",
    response={200: ClassOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="k12_class_join",
    summary="学生用班级码加入班级",
)
def class_join(request: HttpRequest, data: JoinIn) -> Any:
    return class_out(services.class_join(student=request.user, join_code=data.join_code), request.user)


@router.post(
    "/classes/{class_id}/students",
    response={201: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="k12_class_add_student",
    summary="教师按手机号码添加本校学生",
)
def class_add_student(request: HttpRequest, class_id: Id, data: AddStudentIn) -> Any:
    klass = selectors.access_managed_class(actor=request.user, class_id=class_id)
    services.class_add_student(actor=request.user, klass=klass, phone=data.phone)
    return 201, None


@router.get(
    "/classes/{class_id}/assignments",
    response={200: list[AssignmentOut], **NOT_FOUND},
    operation_id="k12_class_assignments",
    summary="班级的学习任务",
)
def class_assignments(request: HttpRequest, class_id: Id) -> Any:
    klass = selectors.access_class(actor=request.user, class_id=class_id)
    return [assignment_out(item) for item in selectors.class_assignments(klass=klass)]


@router.post(
    "/classes/{class_id}/assignments",
    response={201: AssignmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="k12_assignment_create",
    summary="布置预习或复习",
)
def assignment_create(request: HttpRequest, class_id: Id, data: AssignmentIn) -> Any:
    klass = selectors.access_managed_class(actor=request.user, class_id=class_id)
    lesson = selectors.lesson_get(lesson_id=data.lesson_id) if data.lesson_id else None
    collection = (
        selectors.access_collection(actor=request.user, collection_id=data.collection_id)
        if data.collection_id
        else None
    )
    resources = [selectors.access_resource(actor=request.user, resource_id=pk) for pk in data.resource_ids]
    made = services.assignment_create(
        actor=request.user,
        klass=klass,
        purpose=data.purpose,
        due_date=data.due_date,
        title=data.title,
        note=data.note,
        lesson=lesson,
        collection=collection,
        resources=resources,
    )
    return 201, assignment_out(made)


@router.get(
    "/assignments",
    response=list[MyAssignmentOut],
    operation_id="k12_my_assignments",
    summary="我的学习任务及完成情况",
)
def my_assignments(request: HttpRequest) -> Any:
    return [
        {
            **assignment_out(row.assignment),
            "done": row.done,
            "total": row.total,
            "seconds_spent": row.seconds,
            "complete": row.complete,
        }
        for row in selectors.assignments_of_student(student=request.user)
    ]


@router.get(
    "/assignments/{assignment_id}/report",
    response={200: list[StudentProgressOut], **NOT_FOUND},
    operation_id="k12_assignment_report",
    summary="任务的逐个学生完成情况（教师）",
)
def assignment_report(request: HttpRequest, assignment_id: Id) -> Any:
    assignment = selectors.access_assignment(actor=request.user, assignment_id=assignment_id)
    if not selectors.can_manage_class(request.user, assignment.klass):
        raise NotFound
    return [
        {
            "student_id": row.student.pk,
            "student": str(row.student),
            "done": row.done,
            "total": row.total,
            "seconds_spent": row.seconds,
            "complete": row.complete,
            "last_seen": row.last_seen,
        }
        for row in selectors.assignment_report(assignment=assignment)
    ]


@router.post(
    "/progress",
    response={200: ProgressOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="k12_progress_record",
    url_name="k12_progress_record",
    summary="记录学习进度（播放位置、学习时长、是否完成）",
)
def progress_record(request: HttpRequest, data: ProgressIn) -> Any:
    resource = selectors.access_resource(actor=request.user, resource_id=data.resource_id)
    if not resource.is_published:
        raise NotFound
    row = services.progress_record(
        student=request.user,
        resource=resource,
        position=data.position,
        elapsed=data.elapsed,
        duration=data.duration,
        completed=data.completed,
        session=data.session,
        played=data.played,
    )
    return {
        "resource_id": resource.pk,
        "position": row.position_seconds,
        "furthest": row.furthest_seconds,
        "seconds_spent": row.seconds_spent,
        "complete": row.is_complete,
    }
