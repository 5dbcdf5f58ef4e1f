package io.tracemark.chain.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One open-addressing table of the {@link LeafIndex} (one generation), memory-mapped from its file in segments
 * because a single mapping is limited to 2 GiB. Slot {@code i} is the 8 bytes at {@code 8·i}; 0 is an empty slot.
 */
final class LeafTable {
    private static final int SEGMENT_SLOTS_BITS = 24;
    private static final int SEGMENT_SLOTS = 1 << SEGMENT_SLOTS_BITS;
    private static final int PAGE_SLOTS = 4096 / 8;
    /** Atomic access to a slot, for {@link #prefault()}; the byte order does not matter for comparing with 0. */
    private static final VarHandle SLOT = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    final long start;
    final long slots;
    private final MappedByteBuffer[] segments;
    private final FileChannel channel;

    /** Maps (creating it if needed) a table of {@code slots} slots for the leaves from {@code start} on. */
    LeafTable(Path file, long start, long slots) {
        this.start = start;
        this.slots = slots;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            int n = (int) Math.max(1, slots / SEGMENT_SLOTS);
            segments = new MappedByteBuffer[n];
            long segSlots = Math.min(slots, SEGMENT_SLOTS);
            for (int i = 0; i < n; i++) {
                segments[i] = channel.map(FileChannel.MapMode.READ_WRITE, i * segSlots * 8, segSlots * 8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map leaf index " + file, e);
        }
    }

    long get(long slot) {
        return segments[(int) (slot >>> SEGMENT_SLOTS_BITS)].getLong((int) (slot & (SEGMENT_SLOTS - 1)) * 8);
    }

    void put(long slot, long v) {
        segments[(int) (slot >>> SEGMENT_SLOTS_BITS)].putLong((int) (slot & (SEGMENT_SLOTS - 1)) * 8, v);
    }

    /**
     * Takes the page faults of the whole table now, on the calling thread: a new table is a sparse file, and the
     * apply thread's random inserts would otherwise fault in a fresh page for almost every leaf of the
     * generation's first few hundred thousand (measured: the apply loop stalled about a second when the table
     * of the leaves from 2^24 on started). One write per page, as a compare-and-set of 0 with 0, so a slot the
     * apply thread has filled meanwhile is never overwritten; returns early if interrupted.
     */
    void prefault() {
        for (long slot = 0; slot < slots; slot += PAGE_SLOTS) {
            if ((slot & 0xffff) == 0 && Thread.currentThread().isInterrupted()) {
                return;
            }
            MappedByteBuffer segment = segments[(int) (slot >>> SEGMENT_SLOTS_BITS)];
            SLOT.compareAndSet(segment, (int) (slot & (SEGMENT_SLOTS - 1)) * 8, 0L, 0L);
        }
    }

    void force() {
        for (MappedByteBuffer m : segments) {
            m.force();
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
