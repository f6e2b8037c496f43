"""The central server: the same domain model behind a web API (see app.py, protocol.py)."""
