"""Pure ASGI middleware: a cap on request bodies and the security headers of every response."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from residency.web.errors import error_body
from residency.web.paths import is_page
from residency.web.templating import render_refusal

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cache-control", b"no-store"),
]
# The API answers JSON; only the interactive docs page loads scripts (from the same origin).
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
# The web pages load our own styles, images and scripts and post forms to us, nothing else:
# no inline script or style, no other origin (docs/web.md, "Security headers").
PAGE_CSP = (
    b"default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_CSP = (
    b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    b"script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app, self.https = app, https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = csp_for(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [*SECURITY_HEADERS, (b"content-security-policy", csp)]
                if self.https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(n, v) for n, v in extra if n not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def csp_for(path: str) -> bytes:
    if path.startswith("/api/docs"):
        return DOCS_CSP
    return PAGE_CSP if is_page(path) else API_CSP


class BodyLimit:
    """Refuses a body over `limit` bytes with 413, by its Content-Length or as it streams."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = f"body: larger than the limit of {self.limit} bytes"
        await send_refusal(scope, send, 413, error_body("body_too_large", message, "body"))


class SingleQueryValues:
    """Refuses a query parameter given twice (no route takes a list): which of the two was
    meant is a guess the service does not make."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            names = [
                name
                for name, _ in parse_qsl(
                    scope["query_string"].decode("latin-1"), keep_blank_values=True
                )
            ]
            repeated = sorted({name for name in names if names.count(name) > 1})
            if repeated:
                await send_refusal(
                    scope,
                    send,
                    422,
                    error_body(
                        "invalid_input",
                        f"{repeated[0]}: given more than once; give it once",
                        repeated[0],
                    ),
                )
                return
        await self.app(scope, receive, send)


async def send_refusal(scope: Scope, send: Send, status: int, payload: dict[str, Any]) -> None:
    """The API's JSON error shape, or for a page the HTML error page with the same sentence:
    a browser shows the reason instead of raw JSON."""
    if is_page(scope.get("path", "")):
        body = render_refusal(scope.get("path", ""), status, payload["error"]["message"])
        content_type = b"text/html; charset=utf-8"
    else:
        body, content_type = json.dumps(payload).encode(), b"application/json"
    headers: list[Any] = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    """The body grew past the limit while it was read."""
