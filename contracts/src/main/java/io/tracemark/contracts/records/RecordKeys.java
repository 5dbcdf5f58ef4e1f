package io.tracemark.contracts.records;

/**
 * Index fields under {@code keys} of a document in the records collection that ingest writes and verify and attest
 * read (names shared here so that no side spells them alone).
 */
public final class RecordKeys {
    /** The GTIN-14 a product batch is of; one or a list of GTIN-14s an EPCIS event names. */
    public static final String GTIN = "gtin";
    /** A product batch's lot. */
    public static final String LOT = "lot";
    /** Ids of the records this one replaces: an amended product batch, or the events an EPCIS error declaration names. */
    public static final String SUPERSEDES = "supersedes";
    /** GTINs the record names outside its registrant's GS1 Company Prefixes, when the operator lets them through. */
    public static final String UNOWNED_GTINS = "unownedGtins";
    /** A media work's position-tagged pHash chunks, for store-side multi-index lookups: an index internal, never shown. */
    public static final String PHASH_CHUNKS = "phashChunks";
    /** SHA-256 (hex) of a product batch's canonical facts, telling a retry from an amendment. */
    public static final String FACTS = "facts";

    private RecordKeys() {
    }
}
