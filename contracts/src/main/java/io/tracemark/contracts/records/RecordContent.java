package io.tracemark.contracts.records;

/**
 * Who may read a stored record's content (its canonical text and salt) and whether it still exists: top-level
 * fields of a document in the records collection, written by ingest and obeyed by every reader.
 *
 * <p>The salt is what keeps a low-entropy record (a GTIN and a lot) from being confirmed by hashing guesses, so a
 * record's salt is exactly as public as its canonical text.
 */
public final class RecordContent {
    /** {@value #PUBLIC} or {@value #PRIVATE}. */
    public static final String VISIBILITY = "visibility";
    /** Anyone may read the canonical text and salt. */
    public static final String PUBLIC = "public";
    /** Only the registrant reads them; the public sees digest, type, registrant and anchoring. */
    public static final String PRIVATE = "private";
    /** The record's salt; absent once erased. */
    public static final String SALT = "salt";
    /** The canonical envelope text whose SHA-256 is the digest; absent once erased. */
    public static final String CANONICAL = "canonical";
    /** When the registrant erased the content (a date), absent while it exists. */
    public static final String ERASED_AT = "erasedAt";
    /** Who erased it: the API key id that asked. */
    public static final String ERASED_BY = "erasedBy";

    private RecordContent() {
    }

    /** Whether a visibility value is one of the two. */
    public static boolean isValid(String visibility) {
        return PUBLIC.equals(visibility) || PRIVATE.equals(visibility);
    }

    /**
     * Whether the public may read the content of a record of {@code type} stored with {@code visibility}. Records
     * stored before visibility existed carry none: product batches were registered for their public page and stay
     * public, everything else is private.
     */
    public static boolean isPublic(String type, String visibility) {
        return visibility == null ? "product.batch".equals(type) : PUBLIC.equals(visibility);
    }
}
