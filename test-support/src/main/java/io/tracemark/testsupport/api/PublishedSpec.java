package io.tracemark.testsupport.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A running service's OpenAPI document as it publishes it at {@code /q/openapi}, written to
 * {@code target/openapi/<service>.openapi.json} for the linter, compared with the committed contract
 * {@code docs/api/<service>.openapi.json} (from which the test clients are generated), and turned into a
 * RestAssured filter that fails a call whose request or response the document does not describe.
 */
public final class PublishedSpec {
    /** Set to {@code true} to rewrite the committed contract from the running service instead of comparing. */
    public static final String UPDATE_PROPERTY = "tracemark.openapi.update";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String service;
    private final String text;
    private final Path written;

    private PublishedSpec(String service, String text, Path written) {
        this.service = service;
        this.text = text;
        this.written = written;
    }

    /** Fetches the document of the service under test (RestAssured's configured port). */
    public static PublishedSpec of(String service) {
        String text = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
        try {
            Path out = Path.of("target", "openapi", service + ".openapi.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, pretty(text));
            return new PublishedSpec(service, text, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document as served. */
    public JsonNode json() {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the document was written for the linter. */
    public Path file() {
        return written;
    }

    /**
     * A RestAssured filter validating each request and response against this document: undocumented status,
     * body not matching its schema, missing security header, unknown path or operation all fail the call.
     */
    public OpenApiValidationFilter validator() {
        return new OpenApiValidationFilter(OpenApiInteractionValidator.createForInlineApiSpecification(text).build());
    }

    /**
     * A filter validating only responses, for calls that break the request contract on purpose (no key, a wrong
     * media type) to check that the answer is still the documented one.
     */
    public OpenApiValidationFilter responseValidator() {
        return new OpenApiValidationFilter(OpenApiInteractionValidator.createForInlineApiSpecification(text)
                .withLevelResolver(LevelResolver.create().withLevel("validation.request", ValidationReport.Level.IGNORE).build())
                .build());
    }

    /**
     * Fails unless the committed contract equals the published document (key order aside), so that the
     * generated clients and the repository's spec never drift from what the service serves. With
     * {@code -Dtracemark.openapi.update=true} it rewrites the committed file instead.
     */
    public void assertCommittedContractIsCurrent() {
        Path committed = Repository.root().resolve("docs/api/" + service + ".openapi.json");
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.writeString(committed, pretty(text));
                return;
            }
            if (!Files.exists(committed)) {
                fail(committed + " is missing; write it with -D" + UPDATE_PROPERTY + "=true");
            }
            assertEquals(JSON.readTree(Files.readString(committed)), json(),
                    "the published OpenAPI document differs from " + committed + "; review the change and rewrite it with "
                            + "mvn -pl " + service + " verify -Dtest=<this test> -D" + UPDATE_PROPERTY + "=true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(String text) throws IOException {
        return JSON.writeValueAsString(JSON.readTree(text)) + "\n";
    }
}
