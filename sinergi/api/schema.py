"""OpenAPI post-processing: every operation states the error answers it can give."""

from __future__ import annotations

ERRORS = {
    "400": "The input or a filter is invalid; the body names each field with its messages.",
    "401": "No credentials, or an unknown or revoked token.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such object, or outside what the user may see (or no such page).",
    "415": "The body is not JSON (send `Content-Type: application/json`).",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for a general error; otherwise one list of messages per field.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}


PRECONDITION_FAILED = (
    "If-Match named a version (ETag) that is no longer the stored one: someone changed the "
    "object since it was read. Read it again and re-apply the change."
)
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of the object as read (GET): the update is refused with 412 "
    "when the object has changed since.",
}


def document_errors(result, generator, request, public):
    """Add the shared error answers (400, 401, 403, 404, 415) to every operation, and to
    updates (PATCH) the If-Match header and its 412."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
            if method == "patch":
                responses.setdefault(
                    "412",
                    {
                        "description": PRECONDITION_FAILED,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "If-Match" for p in parameters):
                    parameters.append(IF_MATCH)
    return result
