#!/usr/bin/env bash
# Writes the secrets docker-compose.yml mounts (./secrets/, which git ignores), once: an existing
# directory is left alone so that a second run cannot lock you out of your own data.
#   admin-api-key          the operator's admin key (keep it; only its SHA-256 reaches the services)
#   tracemark.properties   every service: the admin key's SHA-256 and the MongoDB connection string
#   attest.properties      attest: the keys that encrypt webhook signing secrets at rest
#   mongo-root-password, mongo-app-password, mongo-keyfile   MongoDB root and service users, member auth
set -euo pipefail
cd "$(dirname "$0")/.."
dir=secrets
if [ -e "$dir" ]; then
  echo "$dir/ exists; not overwriting it" >&2
  exit 1
fi
umask 077
mkdir "$dir"
rand() { openssl rand -hex "$1"; }
admin="tmadmin_$(rand 32)"
app_password=$(rand 24)
printf '%s\n' "$admin" > "$dir/admin-api-key"
rand 24 > "$dir/mongo-root-password"
printf '%s\n' "$app_password" > "$dir/mongo-app-password"
openssl rand -base64 756 > "$dir/mongo-keyfile"
cat > "$dir/tracemark.properties" <<PROPS
tracemark.edge.admin-key-sha256=$(printf %s "$admin" | sha256sum | cut -d' ' -f1)
tracemark.mongodb.connection-string=mongodb://tracemark:${app_password}@mongo-1:27017,mongo-2:27017,mongo-3:27017/?replicaSet=rs0&authSource=admin
PROPS
cat > "$dir/attest.properties" <<PROPS
# Rotate by putting a new key first (k2:...,k1:...) and keeping the old ones listed.
tracemark.attest.webhooks.secret-keys=k1:$(openssl rand -base64 32)
PROPS
# The directory stays owner-only; the files must be readable by the containers' own users (Compose
# bind-mounts file secrets with the host's ownership and mode).
chmod 700 "$dir"
chmod 644 "$dir"/*
chmod 600 "$dir/admin-api-key"
echo "wrote $dir/; your admin key is in $dir/admin-api-key"
