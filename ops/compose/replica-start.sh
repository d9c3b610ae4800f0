#!/bin/sh
# The replica container: on first start, copy the primary with pg_basebackup -R (which writes
# standby.signal and primary_conninfo), then run PostgreSQL as a hot standby.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h db -U postgres; do echo "waiting for the primary"; sleep 1; done
  mkdir -p "$PGDATA" && chown postgres "$PGDATA" && chmod 700 "$PGDATA"
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup -h db -U replicator -D "$PGDATA" -R -X stream
fi
exec gosu postgres postgres -c hot_standby=on
