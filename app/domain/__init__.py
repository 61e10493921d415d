"""Pure rules of the standard: no I/O, no framework, exhaustively unit-tested."""
