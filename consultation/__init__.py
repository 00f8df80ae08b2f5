"""Liaison points, consultations, comments, decisions, feedback, imports, statistics."""
