/** Command-line tools over the proofs library, runnable with no network. */
package io.tracemark.proofs.cli;
