"""Tests of the test GP server itself, over real HTTP with ``requests``."""

from __future__ import annotations
