/** C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint) bodies and their signed notes. */
package io.tracemark.proofs.checkpoint;
