/**
 * The 64-bit DCT perceptual hash of images (Zauner 2010 §3.3, bit-compatible with Python
 * {@code imagehash.phash}) and the bounded image decoding that ingest and verify share.
 */
package io.tracemark.proofs.media;
