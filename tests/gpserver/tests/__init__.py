"""Tests of the test GP server itself, over real HTTP with ``requests``."""
