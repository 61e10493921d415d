"""Liên thông: the interoperability hub for Vietnam's one-stop administrative dossiers."""
