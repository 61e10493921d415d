"""HTTP routes: each parses, makes one service call, and returns a response model."""
