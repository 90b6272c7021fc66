#!/usr/bin/env bash
# Back up the database and the file store, restore both into empty ones, and check the restored
# instance serves every generated report with the SHA-256 recorded when it was built.
#   DATABASE_URL=postgres://… MEDIA_ROOT=… benchmarks/backup_restore.sh
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the file store}"
work=$(mktemp -d)
restored_db="restore_check_$$"
base=${DATABASE_URL%/*}
pg_dump --format=custom --file="$work/db.dump" "$DATABASE_URL"
tar -czf "$work/media.tar.gz" -C "$MEDIA_ROOT" .
psql "$base/postgres" -qc "CREATE DATABASE $restored_db"
trap 'psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $restored_db"; rm -rf "$work"' EXIT
pg_restore --no-owner --dbname="$base/$restored_db" "$work/db.dump"
mkdir "$work/media" && tar -xzf "$work/media.tar.gz" -C "$work/media"
DATABASE_URL="$base/$restored_db" MEDIA_ROOT="$work/media" "$(dirname "$0")/../.venv/bin/python" \
  "$(dirname "$0")/../manage.py" verify_reports
