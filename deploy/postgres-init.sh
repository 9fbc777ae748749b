#!/bin/sh
# The server's restricted login role (docs/OPERATIONS.md "Database roles"); the owner grants it the
# rest when a server starts. Run once by the postgres image on an empty data folder.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v app_password="$APP_PASSWORD" <<'SQL'
CREATE ROLE portaldesk_app LOGIN PASSWORD :'app_password';
SQL
