"""Use cases: the only code that writes. They flush, never commit (the caller's unit of work
does)."""
