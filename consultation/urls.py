"""Staff and clerk pages of the consultation side, mounted in namespace ``staff``."""

staff_patterns: list = []
