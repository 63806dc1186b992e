"""The JSON API: one NinjaAPI; each domain adds its own router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Eye Contact API", version="1", urls_namespace="api")
