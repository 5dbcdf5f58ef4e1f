package io.tracemark.ingest.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies over the HTTP layer's cap ({@code quarkus.http.limits.max-body-size}, 70 MB) are refused by the
 * web server before any resource runs. A declared length over it gets the {@code payload-too-large}
 * problem; a chunked body is cut off with a bare 413. Raw sockets, because HTTP clients will not send a
 * length they do not have.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class OversizedBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL base;
    @Inject
    ApiKeyStore keys;

    @Test
    void declaredLengthOverTheHttpCapGetsAPayloadTooLargeProblem() throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/products/batches HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000000\r\n\r\n{\"gtin\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertPayloadTooLarge(readResponse(s.getInputStream()));
        }
    }

    @Test
    void chunkedBodyGrowingOverTheHttpCapIsCutOffWith413AndTheServiceCarriesOn() throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String key = keys.issue("oversized", java.util.Set.of(Role.WRITE)).apiKey();
            out.write(("POST /v1/products/batches HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + key + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 80; i++) {
                    out.write(head);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException closedByServer) {
                // The server answers and closes once the cap is passed; the answer is still readable.
            }
            // Quarkus ends this one itself, without a problem body (see OversizedBodyProblem).
            String response = readResponse(s.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response.lines().findFirst().orElse(""));
        }
        io.restassured.RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    private static void assertPayloadTooLarge(String response) throws IOException {
        assertTrue(response.startsWith("HTTP/1.1 413"), response.lines().findFirst().orElse(""));
        String headers = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertTrue(headers.contains("content-type: application/problem+json"), headers);
        JsonNode problem = JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals("https://tracemark.dev/problems/payload-too-large", problem.path("type").asText());
        assertEquals(413, problem.path("status").asInt());
        assertEquals(false, problem.path("retriable").asBoolean(true));
        assertEquals("size.exceeded", problem.path("errors").path(0).path("code").asText());
    }

    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        try {
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
                String text = buf.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0) {
                    int cl = text.toLowerCase().indexOf("content-length: ");
                    if (cl > 0 && cl < end) {
                        int len = Integer.parseInt(text.substring(cl + 16, text.indexOf("\r\n", cl)).trim());
                        if (buf.size() >= end + 4 + len) {
                            break;
                        }
                    }
                }
            }
        } catch (java.net.SocketException reset) {
            // A reset after the answer: what arrived is the answer.
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
