package io.tracemark.verify;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/** Per-client rate limits answer 429 with Retry-After and a problem body, and other clients are unaffected. */
@QuarkusTest
@TestProfile(RateLimitTest.Tight.class)
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class RateLimitTest {
    /** A burst of 5 and a slow refill, with clients told apart by X-Forwarded-For as behind a proxy. */
    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tracemark.verify.rate-limit.burst", "5", "tracemark.verify.rate-limit.per-second", "0.1",
                    "tracemark.verify.trust-forwarded-for", "true");
        }
    }

    @Test
    void sixthRequestInABurstIsRefusedWithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "203.0.113.7").get("/v1/records?sha256=" + "0".repeat(64)).then().statusCode(200);
        }
        given().header("X-Forwarded-For", "203.0.113.7").get("/v1/records?sha256=" + "0".repeat(64)).then()
                .statusCode(429).header("Retry-After", matchesPattern("[1-9]|10"))
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/rate-limited")).body("retriable", equalTo(true));
        given().header("X-Forwarded-For", "198.51.100.9").get("/v1/records?sha256=" + "0".repeat(64)).then()
                .statusCode(200).header("Cache-Control", notNullValue());
    }

    @Test
    void everyAnswerTellsTheClientItsQuotaAndTheRefusalSaysNoneIsLeft() {
        given().header("X-Forwarded-For", "192.0.2.44").get("/v1/records?sha256=" + "0".repeat(64)).then()
                .statusCode(200).header("RateLimit-Limit", "5").header("RateLimit-Remaining", "4")
                .header("RateLimit-Policy", "5;w=50").header("RateLimit-Reset", "10");
        for (int i = 0; i < 4; i++) {
            given().header("X-Forwarded-For", "192.0.2.44").get("/v1/records?sha256=" + "0".repeat(64));
        }
        given().header("X-Forwarded-For", "192.0.2.44").get("/v1/records?sha256=" + "0".repeat(64)).then()
                .statusCode(429).header("RateLimit-Remaining", "0").header("RateLimit-Reset", "50");
    }
}
