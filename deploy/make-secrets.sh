#!/usr/bin/env bash
# Writes the secrets docker-compose.yml mounts (./secrets/, which git ignores), once: an existing
# directory is left alone so that a second run cannot lock you out of your own data.
#   admin-api-key          the operator's admin key (keep it; only its SHA-256 reaches the services)
#   tracemark.properties   every service: the admin key's SHA-256 and the MongoDB connection string
#   attest.properties      attest: the keys that encrypt webhook signing secrets at rest
#   mongo-root-password, mongo-app-password, mongo-keyfile   MongoDB root and service users, member auth
#   chain-node-1.properties, chain-node-2.properties  each chain-node replica's checkpoint signing key (C2SP
#                          signed-note PRIVATE+KEY+name+keyid+base64, Ed25519)
# A deployment made before the signing keys were secrets keeps its replicas' keys: put each replica's
# data/keys/note-signer.key into its file as tracemark.chain.signing-key=... instead of a new key.
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
# The C2SP signed-note signer key of a new Ed25519 key named $1: PRIVATE+KEY+name+keyid+base64(0x01 ‖ seed),
# keyid = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]. The seed and public key are the last 32 bytes of
# the PKCS#8 and SubjectPublicKeyInfo DER forms.
note_key() {
  local name=$1 tmp id b64
  tmp=$(mktemp -d)
  openssl genpkey -algorithm ed25519 -outform DER -out "$tmp/key.der"
  tail -c 32 "$tmp/key.der" > "$tmp/seed"
  openssl pkey -inform DER -in "$tmp/key.der" -pubout -outform DER | tail -c 32 > "$tmp/pub"
  id=$({ printf '%s\n\001' "$name"; cat "$tmp/pub"; } | sha256sum | cut -c1-8)
  b64=$({ printf '\001'; cat "$tmp/seed"; } | base64 | tr -d '\n')
  rm -rf "$tmp"
  printf 'PRIVATE+KEY+%s+%s+%s' "$name" "$id" "$b64"
}
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
# Replica $1's key, named as its TRACEMARK_CHAIN_KEY_NAME in docker-compose.yml.
chain_node_key() {
  printf '# chain-node-%s: its checkpoint signing key\ntracemark.chain.signing-key=%s\n' "$1" "$(note_key "tracemark.example/chain-node-$1")"
}
chain_node_key 1 > "$dir/chain-node-1.properties"
chain_node_key 2 > "$dir/chain-node-2.properties"
# The directory stays owner-only; the files must be readable by the containers' own users (Compose
# bind-mounts file secrets with the host's ownership and mode).
chmod 700 "$dir"
chmod 644 "$dir"/*
chmod 600 "$dir/admin-api-key"
echo "wrote $dir/; your admin key is in $dir/admin-api-key"
