"""
Shared plumbing that both apps import: roles, domain errors, conditional requests,
API pagination and the public response cache. Imports no app.
"""
