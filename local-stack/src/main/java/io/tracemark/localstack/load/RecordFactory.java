package io.tracemark.localstack.load;


import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates valid records of each type with unique content, so that every one is a distinct
 * registration (no exact duplicate is rejected) and the driver can account for each.
 */
final class RecordFactory {
    private static final String[] GTINS = {"04006381333931", "04012345000016", "09506000134352", "00614141000036"};
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
            case "work" -> new Generated("media.work", work(i));
            default -> throw new IllegalArgumentException("unknown record kind " + kind + " (batch, epcis, work)");
        };
    }

    record Generated(String type, String payloadJson) {
    }

    private String batch(int i) {
        return "{\"gtin\":\"" + GTINS[i % GTINS.length] + "\",\"lot\":\"L" + i + "-" + random.nextInt(1_000_000)
                + "\",\"quantity\":" + (1 + random.nextInt(5000)) + ",\"unit\":\"H87\",\"productionDate\":\"2026-11-01\"}";
    }

    private String epcisEvent(int i) {
        long millis = 1_764_000_000_000L + i * 1000L + random.nextInt(1000);
        String time = java.time.Instant.ofEpochMilli(millis).toString();
        return "{\"type\":\"ObjectEvent\",\"eventTime\":\"" + time + "\",\"eventTimeZoneOffset\":\"+00:00\","
                + "\"epcList\":[\"urn:epc:id:sgtin:4012345.011111." + i + "\"],\"action\":\"OBSERVE\","
                + "\"bizStep\":\"shipping\",\"disposition\":\"in_transit\","
                + "\"readPoint\":{\"id\":\"urn:epc:id:sgln:4012345.00001.0\"}}";
    }

    private String work(int i) {
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        return "{\"title\":\"Load work " + i + "\",\"creators\":[\"Load Driver\"],\"rightsHolder\":\"Tracemark Load\","
                + "\"licence\":\"CC-BY-4.0\",\"sha256\":\"" + HexFormat.of().formatHex(sha) + "\",\"mediaType\":\"image/jpeg\"}";
    }
}
