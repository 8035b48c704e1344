"""Reporting completeness lives with the registry (`registry.completeness`), whose enterprise list
filters by it; insight's refresh and dashboard read it from there. Kept under this name for the
modules that import it from insight."""

from sinergi.registry.completeness import due_on, expected_on, not_reported, per_zone

__all__ = ["due_on", "expected_on", "not_reported", "per_zone"]
