"""The bank's files as HTTP responses (the API and the pages send the same ones)."""

from django.http import HttpResponse

from zhijiao.courses.models import Course

from . import qti, selectors, spreadsheets

# An import validates up to 2,000 rows or QTI items against the schema: thirty an hour per address is plenty for
# a teaching team and keeps one client from keeping a worker busy. The API and the page count on one key.
IMPORT_RATE_KEY = "assessment.import"
IMPORTS_PER_HOUR = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(course: Course, format: str) -> HttpResponse:
    """The bank's active questions (current versions) as a workbook (``xlsx``) or a QTI 3.0 package (``qti``)."""
    questions = selectors.questions_of(course=course)
    if format == "qti":
        response = HttpResponse(qti.package(questions), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="question-bank-{course.pk}-qti3.zip"'
    else:
        response = HttpResponse(spreadsheets.bank_workbook(questions), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="question-bank-{course.pk}.xlsx"'
    return response


def template_response() -> HttpResponse:
    response = HttpResponse(spreadsheets.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="question-bank-template.xlsx"'
    return response
