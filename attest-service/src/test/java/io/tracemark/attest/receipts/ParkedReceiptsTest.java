package io.tracemark.attest.receipts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.attest.AttestTestResource;
import io.tracemark.attest.Pipeline;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.events.Event;
import io.tracemark.testsupport.LogCapture;
import io.tracemark.testsupport.TracemarkInfraResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A record whose content is nowhere is still anchored, and its incomplete receipt shows in metrics and readiness. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(AttestTestResource.class)
class ParkedReceiptsTest {
    private static final Pattern PARKED = Pattern.compile(
            "(?m)^tracemark_attest_receipts_parked_records_total\\{[^}]*reason=\"content-missing\"[^}]*} ([0-9.E+-]+)$");

    private static double scrapedParked() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("# HELP tracemark_attest_receipts_parked_records "), () -> "the counter has HELP text: "
                + metrics.lines().filter(l -> l.contains("receipts") || l.contains("parked")).toList());
        Matcher m = PARKED.matcher(metrics);
        assertTrue(m.find(), "the content-missing series is exported before anything is parked");
        return Double.parseDouble(m.group(1));
    }

    private static long readinessParked() {
        Number n = given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'tracemark-anchoring' }.data.'receiptsParked.content-missing'");
        return n.longValue();
    }

    @Test
    void recordWithoutContentIsAnchoredCountedAsParkedInMetricsAndReadinessAndLoggedUnderItsIdAndTenant() {
        double before = scrapedParked();
        long readyBefore = readinessParked();
        // Neither handed over with the request nor stored in the records collection.
        AnchorRequest r = Pipeline.request(Pipeline.newTenant("parked"));
        Event anchored;
        try (LogCapture log = LogCapture.of(ReceiptFactory.class)) {
            Pipeline.anchor(List.of(r));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Pipeline.anchored(List.of(r.recordId())).containsKey(r.recordId()));
            anchored = Pipeline.anchored(List.of(r.recordId())).get(r.recordId());
            List<LogCapture.Line> lines = log.lines(l -> r.recordId().equals(l.mdc().get("recordId")));
            assertEquals(1, lines.size(), "the block's parked line is filed under the record: " + log.lines(l -> true));
            assertEquals(r.tenant(), lines.get(0).mdc().get("tenant"));
            assertEquals(anchored.data().path("blockHeight").asText(), lines.get(0).mdc().get("blockHeight"));
        }
        assertFalse(anchored.data().path("receipt").path("record").hasNonNull("canonical"), "its receipt carries no content");
        assertTrue(scrapedParked() >= before + 1, "tracemark_attest_receipts_parked_records_total moved");
        assertTrue(readinessParked() >= readyBefore + 1, "readiness detail receiptsParked.content-missing moved");
    }
}
