"""Accounts: API tokens (expiring, revocable) and the login protection's alerts."""
