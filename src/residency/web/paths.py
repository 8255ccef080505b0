"""Which requests are the JSON API's and which are the web pages'. The one place that decides a
request's error format (JSON or an HTML page) and Content-Security-Policy, and whether a cookie
session may change anything (never through the API: docs/web.md, "Cookies and CSRF")."""

from __future__ import annotations

HEALTH_PATHS = frozenset({"/healthz", "/readyz"})


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/") or path in HEALTH_PATHS


def is_page(path: str) -> bool:
    """A web page, a form's target or a static asset: anything the browser app serves."""
    return not is_api(path)
