package io.tracemark.localstack.load;


import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates valid records of each kind with unique content, so that every one is a distinct
 * registration (no exact duplicate is rejected) and the driver can account for each.
 */
final class RecordFactory {
    /** The kinds {@code --mix} accepts. */
    static final List<String> KINDS = List.of("batch", "epcis", "epcis-multi", "work");
    /** Real GTIN-14s with valid check digits; each has a 7-digit GS1 company prefix after the indicator digit. */
    static final String[] GTINS = {"04006381333931", "04012345000016", "09506000134352", "00614141000036"};
    private static final int COMPANY_PREFIX_LENGTH = 7;
    private final Random random;
    private final List<String> wheel = new ArrayList<>();

    RecordFactory(LoadOptions options, long seed) {
        this.random = new Random(seed);
        for (Map.Entry<String, Integer> e : options.mix().entrySet()) {
            for (int i = 0; i < e.getValue(); i++) {
                wheel.add(e.getKey());
            }
        }
        if (wheel.isEmpty()) {
            throw new IllegalArgumentException("empty record mix");
        }
    }

    /** The record type name and JSON payload of the i-th record. */
    Generated next(int i) {
        String kind = wheel.get(i % wheel.size());
        return switch (kind) {
            case "batch" -> new Generated("product.batch", batch(i));
            case "epcis" -> new Generated("epcis.event", epcisEvent(i));
            case "epcis-multi" -> new Generated("epcis.event", epcisMultiGtinEvent(i));
            case "work" -> new Generated("media.work", work(i));
            default -> throw new IllegalArgumentException("unknown record kind " + kind + " " + KINDS);
        };
    }

    record Generated(String type, String payloadJson) {
    }

    private String batch(int i) {
        return "{\"gtin\":\"" + GTINS[i % GTINS.length] + "\",\"lot\":\"L" + i + "-" + random.nextInt(1_000_000)
                + "\",\"quantity\":" + (1 + random.nextInt(5000)) + ",\"unit\":\"H87\",\"productionDate\":\"2026-11-01\"}";
    }

    /** Unique per record: the event hash ID (the natural key) covers eventTime, which differs by i. */
    private String eventTime(int i) {
        long millis = 1_764_000_000_000L + i * 1000L + random.nextInt(1000);
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    private String epcisEvent(int i) {
        return "{\"type\":\"ObjectEvent\",\"eventTime\":\"" + eventTime(i) + "\",\"eventTimeZoneOffset\":\"+00:00\","
                + "\"epcList\":[\"urn:epc:id:sgtin:4012345.011111." + i + "\"],\"action\":\"OBSERVE\","
                + "\"bizStep\":\"shipping\",\"disposition\":\"in_transit\","
                + "\"readPoint\":{\"id\":\"urn:epc:id:sgln:4012345.00001.0\"}}";
    }

    /**
     * An ObjectEvent shaped like the GS1 EPCIS 2.0 standard's first example (a shipment of several
     * serialised items with a purchase order), naming items of 2 or 3 different GTINs, two serials each.
     */
    private String epcisMultiGtinEvent(int i) {
        int gtins = 2 + i % 2;
        StringBuilder epcs = new StringBuilder();
        for (int g = 0; g < gtins; g++) {
            String gtin = GTINS[(i + g) % GTINS.length];
            for (int s = 0; s < 2; s++) {
                epcs.append(epcs.isEmpty() ? "" : ",").append('"').append(sgtin(gtin, i + "0" + g + s)).append('"');
            }
        }
        return "{\"type\":\"ObjectEvent\",\"eventTime\":\"" + eventTime(i) + "\",\"eventTimeZoneOffset\":\"+01:00\","
                + "\"epcList\":[" + epcs + "],\"action\":\"OBSERVE\",\"bizStep\":\"shipping\",\"disposition\":\"in_transit\","
                + "\"readPoint\":{\"id\":\"urn:epc:id:sgln:4012345.00001.0\"},"
                + "\"bizLocation\":{\"id\":\"urn:epc:id:sgln:4012345.00002.0\"},"
                + "\"bizTransactionList\":[{\"type\":\"po\",\"bizTransaction\":\"urn:epcglobal:cbv:bt:4012345000016:PO-" + i
                + "\"}]}";
    }

    /**
     * The SGTIN EPC URN (GS1 TDS 2.1 §6.3.1) of serial {@code serial} of a GTIN-14: company prefix, then
     * the indicator digit followed by the item reference; the check digit is dropped, as the URN has none.
     */
    static String sgtin(String gtin14, String serial) {
        String prefix = gtin14.substring(1, 1 + COMPANY_PREFIX_LENGTH);
        String itemReference = gtin14.charAt(0) + gtin14.substring(1 + COMPANY_PREFIX_LENGTH, 13);
        return "urn:epc:id:sgtin:" + prefix + "." + itemReference + "." + serial;
    }

    /** The GS1 mod-10 check digit of the digits before it (GS1 General Specifications §7.9). */
    static int checkDigit(String body) {
        int sum = 0;
        for (int k = 0; k < body.length(); k++) {
            int d = body.charAt(body.length() - 1 - k) - '0';
            sum += k % 2 == 0 ? 3 * d : d;
        }
        return (10 - sum % 10) % 10;
    }

    private String work(int i) {
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        return "{\"title\":\"Load work " + i + "\",\"creators\":[\"Load Driver\"],\"rightsHolder\":\"Tracemark Load\","
                + "\"licence\":\"CC-BY-4.0\",\"sha256\":\"" + HexFormat.of().formatHex(sha) + "\",\"mediaType\":\"image/jpeg\"}";
    }
}
