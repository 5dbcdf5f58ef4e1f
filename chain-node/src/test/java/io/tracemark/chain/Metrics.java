package io.tracemark.chain;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads single samples from the Prometheus text served at {@code /q/metrics}. */
final class Metrics {
    private Metrics() {
    }

    /** The value of the untagged (or only) sample of {@code name}; fails if the metric is not exposed. */
    static double value(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new AssertionError(name + " is not exposed at /q/metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
