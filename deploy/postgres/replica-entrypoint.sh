#!/usr/bin/env bash
# The streaming replica: on first start, clone the primary with pg_basebackup (which writes
# standby.signal and primary_conninfo), then run PostgreSQL as a hot standby. Runs as the
# postgres user; later starts find the data directory and go straight to streaming.
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready --host=db-primary --port=5432 --quiet; do sleep 1; done
  # PGPASSWORD (the replicator's) comes from the environment, for this and for streaming.
  pg_basebackup --host=db-primary --port=5432 --username=replicator \
    --pgdata="$PGDATA" --wal-method=stream --slot=replica1 --write-recovery-conf --progress
  chmod 0700 "$PGDATA"
fi

exec postgres -c hot_standby=on -c hot_standby_feedback=on
