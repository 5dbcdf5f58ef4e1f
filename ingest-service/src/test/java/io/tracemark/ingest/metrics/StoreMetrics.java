package io.tracemark.ingest.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Reads the store command counters as a scraper does, from {@code /q/metrics}. */
public final class StoreMetrics {
    /** Prometheus name of {@code tracemark.store.commands}. */
    public static final String COMMANDS = "tracemark_store_commands_total";
    /** Prometheus name of {@code tracemark.store.documents.written}. */
    public static final String DOCUMENTS_WRITTEN = "tracemark_store_documents_written_total";
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)(?: .*)?$", Pattern.MULTILINE);

    private StoreMetrics() {
    }

    /** The value of counter {@code name} for this command and collection, 0 when not exported yet. */
    public static long value(String name, String command, String collection) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        long sum = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name) && m.group(2).contains("command=\"" + command + "\"")
                    && m.group(2).contains("collection=\"" + collection + "\"")) {
                sum += (long) Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    /** Documents written to a collection by all write commands. */
    public static long written(String collection) {
        return value(DOCUMENTS_WRITTEN, "insert", collection) + value(DOCUMENTS_WRITTEN, "update", collection)
                + value(DOCUMENTS_WRITTEN, "delete", collection) + value(DOCUMENTS_WRITTEN, "findAndModify", collection);
    }
}
