"""The HTTP service: the app factory, its dependencies, error mapping and middleware. Each
domain's routes live in that domain's api.py; residency.web.routes mounts them."""

from residency.web.app import create_app

__all__ = ["create_app"]
