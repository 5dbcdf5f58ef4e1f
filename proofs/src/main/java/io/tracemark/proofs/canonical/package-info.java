/** RFC 8785 JSON canonicalization and the SHA-256 record digests built on it. */
package io.tracemark.proofs.canonical;
