"""Cases in the unified search (``cases.case``): title, abstract, keywords, courses and authors are matched; the
catalogue's facets are the professional-degree category, the case type and the field. Abstracts are public, so
the documents are; withdrawn cases leave the index."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhijiao.core.platforms import Platform
from zhijiao.search.registry import PUBLIC, Document, DocumentType, FilterField

from .categories import NAMES
from .models import Case, CaseType

KIND = "cases.case"


def _category_labels(values: Iterable[str]) -> dict[str, str]:
    return {value: f"{NAMES.get(value, value)}" for value in values}


FILTERS = (
    FilterField("category", _("专业学位类别"), _category_labels),
    FilterField("case_type", _("案例类型"), lambda values: dict(CaseType.choices)),
    FilterField("field", _("领域/行业")),
)
FACET_NAMES = frozenset(item.name for item in FILTERS)


class CaseDocuments(DocumentType):
    kind = KIND
    model = Case
    label = _("案例")
    filters = FILTERS

    def queryset(self) -> QuerySet[Case]:
        return Case.objects.filter(status=Case.Status.PUBLISHED).prefetch_related("authors")

    def to_document(self, case: Case) -> Document | None:
        if case.status != Case.Status.PUBLISHED:
            return None
        authors = list(case.authors.all())
        body = " ".join(
            part
            for part in (
                case.abstract,
                " ".join(case.keywords),
                " ".join(case.applicable_courses),
                " ".join(case.knowledge_points),
                case.field,
                case.category_name,
                " ".join(f"{a.name} {a.organization_name}" for a in authors),
                case.accession_no,
            )
            if part
        )
        return Document(
            kind=self.kind,
            object_id=str(case.pk),
            title=case.title,
            body=body,
            platform=Platform.HIGHER,
            type_label=str(self.label),
            url=case.get_absolute_url(),
            filters={"category": case.category, "case_type": case.case_type, "field": case.field},
            date=case.accepted_at,
            popularity=float(case.download_count + 2 * case.adoption_count),
            visibility=PUBLIC,
        )
