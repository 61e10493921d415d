"""`lienthong demo`: a realistic data set on the embedded database (four provinces, a ministry,
a few thousand dossiers in every status, transfers, steps, supplements, ratings) and demo
clients of each kind with fixed, public credentials. A demo: never on a real deployment."""

SEED = 118  # Decree 118/2025/NĐ-CP; any fixed number makes the data reproducible
DOSSIERS = 3000
