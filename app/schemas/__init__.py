"""Pydantic v2 models: the common dossier schema (the public contract) and API envelopes."""
