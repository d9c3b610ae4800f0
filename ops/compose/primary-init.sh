#!/bin/sh
# Run once by the postgis image when the primary's data directory is created: lets the replica
# container stream WAL (docker-compose.yml). The password comes from the compose environment.
set -e
psql -v ON_ERROR_STOP=1 -U postgres -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}'"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
