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
        return sample(name, "(?:\\{[^}]*})?");
    }

    /** The value of the sample of {@code name} whose label {@code label} is {@code value}. */
    static double value(String name, String label, String value) {
        return sample(name, "\\{(?:[^}]*,)?" + Pattern.quote(label + "=\"" + value + "\"") + "[^}]*}");
    }

    private static double sample(String name, String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + labels + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new AssertionError(name + " is not exposed at /q/metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
