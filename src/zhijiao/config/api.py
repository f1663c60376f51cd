"""The JSON API at /api/v1/: one ninja router per app, one error shape for every 4xx."""

from ninja import NinjaAPI

api = NinjaAPI(title="智教 API", version="1", urls_namespace="api")
