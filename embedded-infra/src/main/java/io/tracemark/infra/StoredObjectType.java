package io.tracemark.infra;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The H2 backend's type for index keys and stored documents: the same bytes on disk and the same key order as
 * H2's {@link ObjectDataType}, with each object serialized once instead of over and over.
 *
 * <p>Neither a {@link KeyValue} nor a {@link Document} is a type H2 knows, so H2 stores them as Java
 * serializations, and it serializes them again on every use: two index keys are compared by serializing both
 * (every step of every binary search), and a page is written by serializing each of its entries (after every
 * command, the page holding a new document and all its older neighbours). In a profile of the load run that was
 * most of the MongoDB-wire server's CPU, much of it constructing an {@code ObjectOutputStream} per object. Here
 * an object's serialization is kept in a small cache by identity. An index key never changes once made; a stored
 * document is changed in place by an update, which therefore {@linkplain Cache#forget forgets} its bytes (the
 * collection's update hook in {@link DurableH2Backend}). Files written with H2's own type read and grow
 * unchanged, and H2's own type reads what this one writes.
 */
final class StoredObjectType extends ObjectDataType {
    /** H2's tag for a Java-serialized object ({@code ObjectDataType.TYPE_SERIALIZED_OBJECT}). */
    private static final byte SERIALIZED = 19;

    /** An object and its serialization; final fields, so a slot read without a lock sees both or neither. */
    private record Serialized(Object object, byte[] bytes) {
    }

    /** Serializations by identity, direct-mapped: a slot holds the last object hashed to it. */
    static final class Cache {
        private final Serialized[] slots;

        /** A cache of {@code slots} entries (rounded down to a power of two). */
        Cache(int slots) {
            this.slots = new Serialized[Integer.highestOneBit(slots)];
        }

        /** Drops what is kept for {@code o}, whose content has changed. */
        void forget(Object o) {
            int slot = System.identityHashCode(o) & (slots.length - 1);
            Serialized s = slots[slot];
            if (s != null && s.object() == o) {
                slots[slot] = null;
            }
        }

        byte[] bytesOf(Object o) {
            int slot = System.identityHashCode(o) & (slots.length - 1);
            Serialized s = slots[slot];
            if (s != null && s.object() == o) {
                return s.bytes();
            }
            byte[] bytes = serialize(o);
            slots[slot] = new Serialized(o, bytes);
            return bytes;
        }
    }

    private final Cache cache;

    /** A type whose serializations are kept in {@code cache} (one cache may serve many maps). */
    StoredObjectType(Cache cache) {
        this.cache = cache;
    }

    private static boolean ours(Object o) {
        return o instanceof KeyValue || o instanceof Document;
    }

    /** As {@code ObjectDataType$SerializedObjectType.compare} for two objects that are not {@link Comparable}. */
    @Override
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        if (a instanceof KeyValue && b instanceof KeyValue) {
            return compareNotNull(cache.bytesOf(a), cache.bytesOf(b));
        }
        return super.compare(a, b);
    }

    /** As {@code ObjectDataType$SerializedObjectType.write}: the tag, the length, the serialization. */
    @Override
    public void write(WriteBuffer buff, Object obj) {
        if (!ours(obj)) {
            super.write(buff, obj);
            return;
        }
        byte[] bytes = cache.bytesOf(obj);
        buff.put(SERIALIZED).putVarInt(bytes.length).put(bytes);
    }

    /** H2's estimate for a serialized object (twice its serialized length, as H2 averages it), for the page cache. */
    @Override
    public int getMemory(Object obj) {
        return ours(obj) ? 2 * cache.bytesOf(obj).length : super.getMemory(obj);
    }
}
