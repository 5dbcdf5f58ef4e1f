package io.tracemark.verify.metrics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verify dashboard: verdicts, failed checks and claim lookups move as the public API answers. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class VerifyMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)(?: .*)?$", Pattern.MULTILINE);

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String text, String name, String... labels) {
        double sum = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            boolean all = m.group(1).equals(name);
            for (String l : labels) {
                all &= m.group(2).contains(l);
            }
            if (all) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    @Test
    void anUnreadableReceiptCountsAsAnInvalidVerdictWithItsFailedCheck() {
        String before = scrape();
        given().contentType(ContentType.JSON).body("{\"receipt\":{\"format\":\"nonsense\"}}").post("/v1/verify")
                .then().statusCode(200);
        String after = scrape();
        assertEquals(1.0, value(after, "tracemark_verify_verifications_total", "verdict=\"invalid\"")
                - value(before, "tracemark_verify_verifications_total", "verdict=\"invalid\""), 0.0);
        assertEquals(1.0, value(after, "tracemark_verify_failed_checks_total", "check=\"receipt.format.valid\"")
                - value(before, "tracemark_verify_failed_checks_total", "check=\"receipt.format.valid\""), 0.0);
        assertTrue(Pattern.compile("^# HELP tracemark_verify_verifications(_total)? verification verdicts", Pattern.MULTILINE)
                .matcher(after).find(), "HELP text");
    }

    @Test
    void aClaimLookupIsTimedInAHistogramByWhatWasAskedAndFound() {
        String before = scrape();
        given().contentType(ContentType.JSON).body("{\"sha256\":\"" + "0f".repeat(32) + "\"}").post("/v1/claims/verify")
                .then().statusCode(200);
        String after = scrape();
        String[] labels = {"by=\"sha256\"", "outcome=\"none\""};
        assertEquals(1.0, value(after, "tracemark_verify_claim_lookups_seconds_count", labels)
                - value(before, "tracemark_verify_claim_lookups_seconds_count", labels), 0.0);
        assertTrue(value(after, "tracemark_verify_claim_lookups_seconds_bucket", "le=\"+Inf\"", "by=\"sha256\"") >= 1,
                "published as a Prometheus histogram");
    }
}
