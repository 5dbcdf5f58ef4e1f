#!/usr/bin/env bash
# Writes the secrets docker-compose.yml mounts (./secrets/, which git ignores), once: an existing
# directory is left alone so that a second run cannot lock you out of your own data.
#   admin-api-key          the operator's admin key (keep it; only its SHA-256 reaches the services)
#   tracemark.properties   every service: the admin key's SHA-256 and the MongoDB connection string
#   attest.properties      attest: the keys that encrypt webhook signing secrets at rest
#   mongo-root-password, mongo-app-password, mongo-keyfile   MongoDB root and service users, member auth
#   chain-node-N.properties   replica N's C2SP signed-note signer key (tracemark.chain.signing-key)
#   chain-node-N-tsa-key.pem, chain-node-N-tsa.pem   replica N's RFC 3161 TSA key (EC P-256) and certificate
#                          (extended key usage id-kp-timeStamping, critical, as RFC 3161 §2.3 requires)
# A deployment made before the replicas' keys were secrets keeps them: put each replica's data/keys/note-signer.key
# into its chain-node-N.properties as tracemark.chain.signing-key=..., and its data/tsa/tsa-key.pem and tsa.pem in
# place of the new TSA files, instead of new keys (a new key is a new signer).
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
# A replica's checkpoint-signing key in the C2SP signed-note form PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>,
# key id = the first 4 bytes of SHA-256(<name> ‖ "\n" ‖ 0x01 ‖ public key); the seed never leaves this directory.
note_signer_key() {
  local name=$1 work
  work=$(mktemp -d)
  openssl genpkey -algorithm ed25519 -out "$work/key.pem"
  openssl pkey -in "$work/key.pem" -outform DER | tail -c 32 > "$work/seed"
  openssl pkey -in "$work/key.pem" -pubout -outform DER | tail -c 32 > "$work/public"
  local id data
  id=$({ printf '%s\n\001' "$name"; cat "$work/public"; } | openssl dgst -sha256 -binary | head -c 4 | od -An -tx1 | tr -d ' \n')
  data=$({ printf '\001'; cat "$work/seed"; } | base64 -w0)
  rm -rf "$work"
  printf 'PRIVATE+KEY+%s+%s+%s' "$name" "$id" "$data"
}
# A replica's own time-stamping authority: EC P-256 key, self-issued certificate valid ten years.
tsa_identity() {
  local name=$1 key=$2 certificate=$3
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key"
  openssl req -new -x509 -key "$key" -out "$certificate" -days 3650 -subj "/O=Tracemark/CN=Tracemark TSA ${name//\//_}" \
    -addext "extendedKeyUsage=critical,timeStamping" -addext "keyUsage=critical,digitalSignature,nonRepudiation" \
    -addext "basicConstraints=critical,CA:FALSE"
}
printf 'tracemark.chain.signing-key=%s\n' "$(note_signer_key tracemark.example/chain-node-1)" > "$dir/chain-node-1.properties"
tsa_identity tracemark.example/chain-node-1 "$dir/chain-node-1-tsa-key.pem" "$dir/chain-node-1-tsa.pem"
printf 'tracemark.chain.signing-key=%s\n' "$(note_signer_key tracemark.example/chain-node-2)" > "$dir/chain-node-2.properties"
tsa_identity tracemark.example/chain-node-2 "$dir/chain-node-2-tsa-key.pem" "$dir/chain-node-2-tsa.pem"
# The directory stays owner-only; the files must be readable by the containers' own users (Compose
# bind-mounts file secrets with the host's ownership and mode).
chmod 700 "$dir"
chmod 644 "$dir"/*
chmod 600 "$dir/admin-api-key"
echo "wrote $dir/; your admin key is in $dir/admin-api-key"
