#!/usr/bin/env bash
# Runs once, when the primary's data directory is first initialised (the official image runs
# every script of /docker-entrypoint-initdb.d then): the role and the slot the replica streams
# with, and the pg_hba line that lets it connect for replication.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
-- A physical slot keeps the WAL the replica has not received yet, so a replica that was down
-- catches up instead of needing a new base backup (max_slot_wal_keep_size bounds it).
SELECT pg_create_physical_replication_slot('replica1');
SQL

# "all" in pg_hba.conf does not match replication connections: they need their own line.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
