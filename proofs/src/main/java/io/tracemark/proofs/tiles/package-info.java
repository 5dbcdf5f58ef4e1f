/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tile paths, tile arithmetic, authenticated
 * reading of hashes from fetched tiles, and entry bundles.
 */
package io.tracemark.proofs.tiles;
