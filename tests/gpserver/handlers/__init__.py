"""Request handlers, one module per part of the REST API."""

from __future__ import annotations
