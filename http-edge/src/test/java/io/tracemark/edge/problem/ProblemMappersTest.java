package io.tracemark.edge.problem;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aBodyCutOffAtTheSizeCapIsAPayloadTooLargeProblemNotAnInternalError() {
        Response r = mappers.bodyCutOff(new IOException(ProblemMappers.BODY_CUT_OFF));
        assertEquals(413, r.getStatus());
        assertEquals("https://tracemark.dev/problems/payload-too-large", ((Problem) r.getEntity()).type());
    }

    @Test
    void anyOtherIoFailureIsStillAnInternalError() {
        Response r = mappers.bodyCutOff(new IOException("Connection reset"));
        assertEquals(500, r.getStatus());
        assertEquals("https://tracemark.dev/problems/internal", ((Problem) r.getEntity()).type());
    }
}
