"""htmx helpers shared by the views."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx_target(request: HttpRequest, target: str) -> bool:
    """True for an htmx request that swaps the element with this id: the view then renders
    only the matching template partial."""
    return bool(getattr(request, "htmx", False)) and request.htmx.target == target
