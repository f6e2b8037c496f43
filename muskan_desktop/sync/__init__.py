"""Offline-first sync: the outbox on the laptop, the client, pull/apply and merge rules.

Importing the package installs the outbox hook (models.py imports it with the tables).
"""

from . import outbox as _outbox  # noqa: F401  (registers the after_flush hook)
