/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys, compatible with
 * golang.org/x/mod/sumdb/note key strings and signatures.
 */
package io.tracemark.proofs.note;
