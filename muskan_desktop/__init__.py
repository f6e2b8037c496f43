"""Muskan Desktop core: domain model, storage, services and command line (no widgets)."""

__version__ = "0.1.0"
