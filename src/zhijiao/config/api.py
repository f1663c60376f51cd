"""The JSON API at /api/v1/: one ninja router per app, one error shape for every 4xx."""

from ninja import NinjaAPI

from zhijiao.accounts.api import router as accounts_router
from zhijiao.orgs.api import router as orgs_router
from zhijiao.portal.api import router as portal_router

api = NinjaAPI(title="智教 API", version="1", urls_namespace="api")
api.add_router("/accounts/", accounts_router)
api.add_router("/orgs/", orgs_router)
api.add_router("/portal/", portal_router)
