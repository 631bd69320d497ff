"""The REST API at /api/v1: thin routers over the same actions and access_* getters as the UI."""

from ninja import NinjaAPI

from mannerly.api.auth import api_auth
from mannerly.api.tickets import router as tickets_router

api = NinjaAPI(
    title="Mannerly API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
)
api.add_router("/tickets", tickets_router)
