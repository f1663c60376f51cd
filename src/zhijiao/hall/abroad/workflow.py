"""The four study-abroad services as data: what each asks for, which documents it needs, and its state machine.

Each service maps ``status → {action: next status}``; an action is taken either by the applicant (submit,
withdraw) or by an officer (receive, request documents, approve, reject). "Approve" moves an application to the
service's next positive state, so one bulk action works across services: a degree is authenticated, a dispatch
is first confirmed (the applicant then registers for departure) and later dispatched, an archive is archived, a
returnee is registered and later given a placement letter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import forms
from .models import Service, Status

if TYPE_CHECKING:
    from .models import Application


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")
    WITHDRAW = "withdraw", _("撤回")
    RECEIVE = "receive", _("受理")
    REQUEST_DOCUMENTS = "request_documents", _("要求补充材料")
    APPROVE = "approve", _("通过")
    REJECT = "reject", _("不通过")


APPLICANT_ACTIONS = frozenset({Action.SUBMIT, Action.WITHDRAW})
OFFICER_ACTIONS = frozenset({Action.RECEIVE, Action.REQUEST_DOCUMENTS, Action.APPROVE, Action.REJECT})
# Officer actions that need a written reason: the applicant must learn why, or what to add.
REASON_REQUIRED = frozenset({Action.REJECT, Action.REQUEST_DOCUMENTS})

# Statuses waiting for an officer: the default view of the queue.
WAITING = (Status.SUBMITTED, Status.RECEIVED, Status.DEPARTURE_SUBMITTED, Status.REGISTERED)
FINAL = frozenset({Status.AUTHENTICATED, Status.DISPATCHED, Status.ARCHIVED, Status.PLACED, Status.REJECTED})


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    label: str | Promise
    help: str | Promise = ""
    stage: int = 1
    required: bool = True


@dataclass(frozen=True)
class ServiceSpec:
    service: str
    summary: str | Promise
    outcome: str | Promise
    form: type[forms.ServiceForm]
    documents: tuple[DocumentSpec, ...]
    transitions: dict[str, dict[str, str]]
    approve_labels: dict[str, str | Promise] = field(default_factory=dict)
    # Status the applicant returns to when they resubmit after "more documents", per stage.
    resubmit_to: dict[int, str] = field(default_factory=lambda: {1: Status.SUBMITTED})
    # Statuses in which the applicant may change fields and documents (of the current stage).
    editable: frozenset[str] = frozenset({Status.DRAFT, Status.MORE_DOCUMENTS})
    # Statuses an officer's approval turns into the second stage.
    second_stage: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return str(Service(self.service).label)

    def documents_of(self, stage: int) -> tuple[DocumentSpec, ...]:
        return tuple(spec for spec in self.documents if spec.stage == stage)

    def document(self, kind: str) -> DocumentSpec | None:
        return next((spec for spec in self.documents if spec.kind == kind), None)


def _review(approved: str) -> dict[str, dict[str, str]]:
    """The first-stage review every service shares; ``approved`` is where approval leads."""
    return {
        Status.DRAFT: {Action.SUBMIT: Status.SUBMITTED, Action.WITHDRAW: Status.WITHDRAWN},
        Status.SUBMITTED: {
            Action.RECEIVE: Status.RECEIVED,
            Action.REQUEST_DOCUMENTS: Status.MORE_DOCUMENTS,
            Action.APPROVE: approved,
            Action.REJECT: Status.REJECTED,
            Action.WITHDRAW: Status.WITHDRAWN,
        },
        Status.RECEIVED: {
            Action.REQUEST_DOCUMENTS: Status.MORE_DOCUMENTS,
            Action.APPROVE: approved,
            Action.REJECT: Status.REJECTED,
        },
        Status.MORE_DOCUMENTS: {Action.SUBMIT: Status.SUBMITTED, Action.WITHDRAW: Status.WITHDRAWN},
    }


SERVICES: dict[str, ServiceSpec] = {
    Service.DEGREE: ServiceSpec(
        service=Service.DEGREE,
        summary=_("在国（境）外获得的学历学位，经核查后出具认证书，可在线验证。"),
        outcome=_("国（境）外学历学位认证书（电子版，含验证码与数字签名）"),
        form=forms.DegreeForm,
        documents=(
            DocumentSpec("diploma", _("学位证书（毕业证书）"), _("学位证书或毕业证书原件的扫描件")),
            DocumentSpec("transcript", _("成绩单"), _("完整的课程成绩单")),
            DocumentSpec("passport", _("护照页"), _("护照个人信息页，以及留学期间的出入境记录页（可上传多份）")),
        ),
        transitions=_review(Status.AUTHENTICATED),
        approve_labels={Status.SUBMITTED: _("认证通过"), Status.RECEIVED: _("认证通过")},
    ),
    Service.DISPATCH: ServiceSpec(
        service=Service.DISPATCH,
        summary=_("国家公派留学人员提交选派结果，确认资格后办理派出前登记，派出后备案。"),
        outcome=_("派出登记备案"),
        form=forms.DispatchForm,
        documents=(
            DocumentSpec("award_letter", _("录取（资助）通知书"), _("国家留学基金委等选派单位的录取或资助通知")),
            DocumentSpec("passport", _("护照个人信息页"), stage=2),
            DocumentSpec("visa", _("签证页"), stage=2),
        ),
        transitions={
            **_review(Status.CONFIRMED),
            Status.CONFIRMED: {Action.SUBMIT: Status.DEPARTURE_SUBMITTED, Action.WITHDRAW: Status.WITHDRAWN},
            Status.DEPARTURE_SUBMITTED: {
                Action.REQUEST_DOCUMENTS: Status.MORE_DOCUMENTS,
                Action.APPROVE: Status.DISPATCHED,
                Action.REJECT: Status.REJECTED,
            },
        },
        approve_labels={
            Status.SUBMITTED: _("确认选派资格"),
            Status.RECEIVED: _("确认选派资格"),
            Status.DEPARTURE_SUBMITTED: _("确认派出"),
        },
        resubmit_to={1: Status.SUBMITTED, 2: Status.DEPARTURE_SUBMITTED},
        editable=frozenset({Status.DRAFT, Status.MORE_DOCUMENTS, Status.CONFIRMED}),
        second_stage=frozenset({Status.CONFIRMED}),
    ),
    Service.ARCHIVE: ServiceSpec(
        service=Service.ARCHIVE,
        summary=_("自费出国留学人员将人事档案转入服务中心存档，便于回国后办理相关手续。"),
        outcome=_("档案存档"),
        form=forms.ArchiveForm,
        documents=(
            DocumentSpec("admission_letter", _("录取通知书"), _("国（境）外院校的录取通知书")),
            DocumentSpec("archive_transfer", _("档案转递材料"), _("原存档单位出具的调档函或档案转递单")),
        ),
        transitions=_review(Status.ARCHIVED),
        approve_labels={Status.SUBMITTED: _("确认存档"), Status.RECEIVED: _("确认存档")},
    ),
    Service.RETURNEE: ServiceSpec(
        service=Service.RETURNEE,
        summary=_("学成回国的留学人员办理回国报到登记，并开具就业派遣（安置）函。"),
        outcome=_("回国登记与派遣（安置）函"),
        form=forms.ReturneeForm,
        documents=(
            DocumentSpec("diploma", _("学位证书"), _("国（境）外院校颁发的学位证书")),
            DocumentSpec("passport", _("护照页"), _("护照个人信息页及回国入境记录页")),
            DocumentSpec("degree_certificate", _("学历学位认证书"), _("已办理认证的，可上传认证书"), required=False),
        ),
        transitions={
            **_review(Status.REGISTERED),
            Status.REGISTERED: {Action.APPROVE: Status.PLACED},
        },
        approve_labels={
            Status.SUBMITTED: _("登记"),
            Status.RECEIVED: _("登记"),
            Status.REGISTERED: _("出具派遣函"),
        },
    ),
}


def spec_of(service: str) -> ServiceSpec:
    return SERVICES[service]


def next_status(application: Application, action: str) -> str | None:
    """Where ``action`` leads from the application's current status, or None when it is not allowed."""
    spec = SERVICES[application.service]
    target = spec.transitions.get(application.status, {}).get(action)
    if target is None:
        return None
    if application.status == Status.MORE_DOCUMENTS and action == Action.SUBMIT:
        return spec.resubmit_to.get(application.stage, Status.SUBMITTED)
    return target


def allowed_actions(application: Application, *, officer: bool) -> list[tuple[str, str]]:
    """The actions (value, label) one side may take now, labelled for this service and status."""
    spec = SERVICES[application.service]
    mine = OFFICER_ACTIONS if officer else APPLICANT_ACTIONS
    result = []
    for action in spec.transitions.get(application.status, {}):
        if action not in mine:
            continue
        label = spec.approve_labels.get(application.status) if action == Action.APPROVE else None
        result.append((str(action), str(label or Action(action).label)))
    return result


def is_editable(application: Application) -> bool:
    return application.status in SERVICES[application.service].editable


def is_final(status: str) -> bool:
    return status in FINAL
