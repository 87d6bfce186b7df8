"""Plumbing shared by every app: errors and their one mapping to pages and the API, the
visitors' cache, concurrency and throttling helpers, Markdown rendering, parsers, middleware,
pagination, client addresses, safe redirects, text cleaning, limits, the form-refusal helper
and the system checks.

Every app imports from here; nothing here imports an app (the import contract in
`make lint` enforces it). Where plumbing needs something an app owns, the app hands it over
at start-up (see caching.use_version).
"""
