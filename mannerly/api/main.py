"""The REST API at /api/v1: thin routers over the same actions and access_* getters as the UI."""

from ninja import NinjaAPI, Swagger

from mannerly.api import customers, directory, etiquette, me, messages, tickets
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
`code` is stable for scripts:

| status | code | when |
| --- | --- | --- |
| 400 | `invalid_json` | the body does not parse as JSON |
| 400 | `refused` | the desk refused the change (e.g. a handover note is missing) |
| 401 | `not_authenticated` | no token or session, or a wrong or revoked token |
| 403 | `forbidden` / `csrf_failed` | not yours to do / session call without `X-CSRFToken` |
| 404 | `not_found` | does not exist, or you may not see it |
| 405 | `method_not_allowed` | see the `Allow` header |
| 409 | `conflict` | clashes with the current state (already merged, address taken…) |
| 413 | `payload_too_large` | body over 1 MB (100 KB for etiquette) |
| 415 | `unsupported_media_type` | body not sent as `application/json` |
| 422 | `validation_error` | bad fields; `errors` lists each with its path `loc`, `msg`, `type` |
| 429 | `throttled` | too many failed tokens from your address; see `Retry-After` |

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
api.add_router("/etiquette", etiquette.router)  # its own 100 KB body limit
