"""One package per external system: its wire format, a pure mapping to and from the common
schema, and, separately, its I/O. The adapters themselves arrive with the adapters issue."""
