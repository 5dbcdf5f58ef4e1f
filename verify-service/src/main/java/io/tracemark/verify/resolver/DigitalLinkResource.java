package io.tracemark.verify.resolver;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * GS1 Digital Link resolver (Digital Link URI syntax 1.4, resolver standard 1.1): JSON for API
 * clients, the batch page for browsers, a PNG QR code with {@code ?format=qr}.
 */
@Path("/01/{gtin}/10/{lot}")
@Blocking
public class DigitalLinkResource {
    private static final String PAGE = page();

    @Inject
    BatchView batches;
    @ConfigProperty(name = "tracemark.verify.digital-link-base")
    Optional<String> linkBase;

    /** A batch by GTIN and lot. */
    @GET
    @Operation(summary = "Resolve a batch Digital Link", description = "Product, batch, lineage, EPCIS events and "
            + "anchoring per step. Browsers get the batch page; ?format=qr returns the link as a PNG QR code.")
    public Response batch(@PathParam("gtin") String gtin, @PathParam("lot") String lot,
                          @QueryParam("format") String format, @Context HttpHeaders headers, @Context UriInfo uri) {
        return resolve(gtin, lot, null, format, headers, uri);
    }

    /** One serialised item of a batch. */
    @GET
    @Path("/21/{serial}")
    @Operation(summary = "Resolve an item Digital Link", description = "As for the batch, plus events naming the item's EPC.")
    public Response item(@PathParam("gtin") String gtin, @PathParam("lot") String lot, @PathParam("serial") String serial,
                         @QueryParam("format") String format, @Context HttpHeaders headers, @Context UriInfo uri) {
        if (!Gtin.isValidLotOrSerial(serial)) {
            throw invalid("/serial", "serial.invalid", "a serial is 1-20 characters of GS1 character set 82");
        }
        return resolve(gtin, lot, serial, format, headers, uri);
    }

    private Response resolve(String rawGtin, String lot, String serial, String format, HttpHeaders headers, UriInfo uri) {
        String gtin = Gtin.normalise(rawGtin);
        if (gtin == null) {
            throw invalid("/gtin", "gtin.invalid", "a GTIN has 8, 12, 13 or 14 digits and a valid check digit");
        }
        if (!Gtin.isValidLotOrSerial(lot)) {
            throw invalid("/lot", "lot.invalid", "a lot is 1-20 characters of GS1 character set 82");
        }
        String base = linkBase.filter(s -> !s.isBlank()).orElse(uri.getBaseUri().toString()).replaceAll("/+$", "");
        if ("qr".equals(format)) {
            byte[] png = QrCodes.png(DigitalLinks.uri(base, gtin, lot, serial), 300);
            return Response.ok(png, "image/png").header("Cache-Control", "public, max-age=31536000, immutable").build();
        }
        boolean html = "html".equals(format) || format == null && prefersHtml(headers);
        if (html) {
            return Response.ok(PAGE, MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).header("Vary", "Accept")
                    .header("Cache-Control", "public, max-age=300").build();
        }
        if (format != null && !"json".equals(format)) {
            throw invalid("/format", "format.invalid", "format is json, html or qr");
        }
        Map<String, Object> body = batches.resolve(base, gtin, lot, serial);
        if (body == null) {
            throw new ProblemException(Problem.of("not-found", 404, "Nothing is registered under this Digital Link")
                    .retriable(false).build());
        }
        return Response.ok(body, MediaType.APPLICATION_JSON).header("Vary", "Accept")
                .header("Cache-Control", "public, max-age=10").build();
    }

    /** Browsers list text/html before any JSON type; API clients ask for JSON or anything. */
    static boolean prefersHtml(HttpHeaders headers) {
        for (MediaType m : headers.getAcceptableMediaTypes()) {
            if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardType()) {
                return false;
            }
            if (!m.isWildcardType() && m.isCompatible(MediaType.TEXT_HTML_TYPE)) {
                return true;
            }
        }
        return false;
    }

    private static ProblemException invalid(String pointer, String code, String detail) {
        return new ProblemException(Problem.of("validation", 400, "Invalid Digital Link").retriable(false)
                .field(pointer, code, detail).build());
    }

    private static String page() {
        try (InputStream in = DigitalLinkResource.class.getResourceAsStream("/META-INF/resources/batch.html")) {
            if (in == null) {
                throw new IllegalStateException("batch.html is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
