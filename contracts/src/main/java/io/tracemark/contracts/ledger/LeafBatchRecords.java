package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka header {@value #HEADER} of a leaf batch on {@code tracemark.chain.leaves}: the records whose
 * digests the batch's value holds, position for position. The value itself stays the chain node's
 * wire format ({@code io.tracemark.proofs.ledger.LeafBatchCodec}), which the ledger reads alone.
 *
 * <p>Encoding: {@code 0x01 ‖ int32 count ‖ count × (UTF recordId ‖ UTF tenant ‖ UTF type ‖ int64
 * acceptedAtMillis)}, strings in Java's modified UTF-8 ({@link DataOutputStream#writeUTF}).
 */
public final class LeafBatchRecords {
    /** Header name. */
    public static final String HEADER = "tracemark-records";
    private static final byte VERSION = 1;

    private LeafBatchRecords() {
    }

    /** Encodes the records of one batch, in leaf order. */
    public static byte[] encode(List<BatchedRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + records.size() * 72);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(records.size());
            for (BatchedRecord r : records) {
                out.writeUTF(r.recordId());
                out.writeUTF(r.tenant());
                out.writeUTF(r.type());
                out.writeLong(r.acceptedAtMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a header value; {@code expected} is the number of digests in the batch's value. */
    public static List<BatchedRecord> decode(byte[] header, int expected) {
        if (header == null) {
            throw new ContractViolation("leaf-batch.records.missing", "leaf batch has no " + HEADER + " header");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(header))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new ContractViolation("leaf-batch.records.version", "unknown " + HEADER + " version " + version);
            }
            int n = in.readInt();
            if (n != expected) {
                throw new ContractViolation("leaf-batch.records.count",
                        HEADER + " lists " + n + " records but the batch holds " + expected + " digests");
            }
            List<BatchedRecord> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new BatchedRecord(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong()));
            }
            if (in.available() != 0) {
                throw new ContractViolation("leaf-batch.records.trailing", HEADER + " has trailing bytes");
            }
            return out;
        } catch (IOException e) {
            throw new ContractViolation("leaf-batch.records.truncated", HEADER + " is truncated", e);
        }
    }
}
