"""The REST API at /api/v1: thin routers over the same actions and access_* getters as the UI."""

from ninja import NinjaAPI, Swagger

from mannerly.api import customers, directory, me, messages, tickets
from mannerly.api.auth import api_auth
from mannerly.api.body import CheckedJsonParser, json_body
from mannerly.api.errors import install_error_handlers

DESCRIPTION = """\
Mannerly's REST API: the same tickets, conversations and customers as the desk, with the same
permissions.

**Sign in** with a personal API token (create one under *API tokens* in your account):
`Authorization: Bearer mnly_…`. A signed-in browser session works too; unsafe methods then need
the `X-CSRFToken` header.

**Permissions** are the desk's: customers see only their own tickets and never internal notes;
agents do not see other teams' private tickets; supervisors and admins see everything. Anything
you may not see answers **404**, exactly like something that does not exist. Staff-only endpoints
answer 404 to customers.

**Errors** are JSON: `{"detail": "…", "code": "…"}`. `detail` is for people (in your language),
`code` is stable for scripts: `not_authenticated` (401), `forbidden` (403), `csrf_failed` (403),
`not_found` (404), `method_not_allowed` (405), `refused` (400, the desk refused the change, e.g. a
handover note is missing), `conflict` (409), `invalid_json` (400), `payload_too_large` (413),
`unsupported_media_type` (415), `validation_error` (422, with `errors`: one entry per field with
its path `loc`), `throttled` (429).

**Request bodies** are JSON (`Content-Type: application/json`), at most 1 MB. **Unknown fields are
rejected** with a 422 that names them, so a misspelt field never silently does nothing. Unknown
query parameters are ignored.

**Lists** are pages: `limit` (1–100, default 25) and `offset`; the answer has `count`, `limit`,
`offset` and `items`.
"""

api = NinjaAPI(
    title="Mannerly API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=api_auth,
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    parser=CheckedJsonParser(),
)
install_error_handlers(api)

for router in (tickets.router, messages.router, customers.router, directory.router, me.router):
    router.add_decorator(json_body(), mode="view")

api.add_router("/tickets", tickets.router)
api.add_router("/tickets", messages.router)
api.add_router("/customers", customers.router)
api.add_router("", directory.router)
api.add_router("", me.router)
