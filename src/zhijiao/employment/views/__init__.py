"""The employment platform's pages, one module per sub-domain. Thin: forms parse, selectors read and check access,
services write; what a view does not catch is shown by core.middleware.PageErrorMiddleware."""

from .agreements import agreement_action, agreement_detail, agreement_download, agreement_verify, agreement_verify_code
from .applications import application_detail, application_move, application_respond, job_apply
from .employers import employer_home, employer_register, review_decide, review_licence, review_queue
from .feeds import job_import
from .graduates import graduate_home
from .jobs import job_create, job_detail, job_edit, job_jsonld, job_list, job_pipeline, job_publish, job_share
from .landing import index
from .office import office, office_confirm, office_destinations, office_roster, office_roster_template
from .push import push_preferences, push_stop, pushes
from .resumes import resume_action, resume_download, resume_edit, resume_new, resume_view
from .saved_searches import saved_search_create, saved_search_delete

__all__ = [
    "agreement_action",
    "agreement_detail",
    "agreement_download",
    "agreement_verify",
    "agreement_verify_code",
    "application_detail",
    "application_move",
    "application_respond",
    "employer_home",
    "employer_register",
    "graduate_home",
    "index",
    "job_apply",
    "job_create",
    "job_detail",
    "job_edit",
    "job_import",
    "job_jsonld",
    "job_list",
    "job_pipeline",
    "job_publish",
    "job_share",
    "office",
    "office_confirm",
    "office_destinations",
    "office_roster",
    "office_roster_template",
    "push_preferences",
    "push_stop",
    "pushes",
    "resume_action",
    "resume_download",
    "resume_edit",
    "resume_new",
    "resume_view",
    "review_decide",
    "review_licence",
    "review_queue",
    "saved_search_create",
    "saved_search_delete",
]
