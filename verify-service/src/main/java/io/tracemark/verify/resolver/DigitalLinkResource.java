package io.tracemark.verify.resolver;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.problem.Problem;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * GS1 Digital Link resolver (Digital Link URI syntax 1.4, GS1-Conformant resolver standard 1.1): the batch
 * page for browsers, JSON for API clients, an RFC 9264 linkset for {@code linkType=all} or
 * {@code Accept: application/linkset+json}, a PNG QR code of the link under the configured public base with
 * {@code ?format=qr}. GTIN-8/12/13 paths redirect to the 14-digit form; unknown batches are 404, as a page for
 * browsers and as problem+json otherwise; every answer carries a {@code Link} header: the linkset of a resolved
 * link, and for a link that resolves to nothing (404) or is malformed (400) the resolver's description and, when
 * the link is well-formed, its canonical form.
 */
@Tag(name = "digital-link", description = "GS1 Digital Link resolver")
@Path("/01/{gtin}/10/{lot}")
@Blocking
public class DigitalLinkResource {
    private static final String PAGE = page("/META-INF/resources/batch.html");
    private static final String NOT_FOUND_PAGE = page("/resolver/not-found.html");

    @Inject
    BatchView batches;
    @Inject
    DigitalLinkBase linkBase;

    /** A batch by GTIN and lot. */
    @GET
    @Operation(operationId = "resolveBatchDigitalLink", summary = "Resolve a batch Digital Link", description = "Product, batch, lineage, EPCIS events and "
            + "anchoring per step. Browsers get the batch page; ?format=qr returns the link as a PNG QR code.")
    @APIResponse(responseCode = "200", description = "JSON for API clients, the batch page for browsers, an RFC 9264 linkset "
            + "(linkType=all or Accept: application/linkset+json) or a PNG QR code (format=qr)",
            headers = @Header(name = "Link", description = "The linkset of this link", schema = @Schema(type = SchemaType.STRING)),
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchResolution.class)),
                    @Content(mediaType = Linksets.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT,
                            description = "RFC 9264 linkset")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "301", description = "A GTIN-8/12/13 path: the 14-digit form is in Location",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "307", description = "A link type this resolver does not have, or the traceability link type",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Invalid GTIN, lot, serial or format (type validation)",
            headers = @Header(name = "Link", description = "The resolver description file (service-desc)", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "Nothing is registered under this link (a page for browsers)",
            headers = @Header(name = "Link", description = "The link's canonical form (owl:sameAs) and the resolver description file",
                    schema = @Schema(type = SchemaType.STRING)), content = {
            @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    public Response batch(@Parameter(example = "04006381333931") @PathParam("gtin") String gtin,
                          @Parameter(example = "LOT-2026/11A") @PathParam("lot") String lot,
                          @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "html", "linkset", "qr"})) @QueryParam("format") String format,
                          @Parameter(description = "GS1 link type, or all for the linkset", example = "all") @QueryParam("linkType") String linkType,
                          @Context HttpHeaders headers, @Context UriInfo uri) {
        return resolve(new Request(gtin, lot, null, format, linkType), headers, uri);
    }

    /** One serialised item of a batch. */
    @GET
    @Path("/21/{serial}")
    @Operation(operationId = "resolveItemDigitalLink", summary = "Resolve an item Digital Link", description = "As for the batch, plus events naming the item's EPC.")
    @APIResponse(responseCode = "200", description = "JSON for API clients, the batch page for browsers, an RFC 9264 linkset "
            + "(linkType=all or Accept: application/linkset+json) or a PNG QR code (format=qr)",
            headers = @Header(name = "Link", description = "The linkset of this link", schema = @Schema(type = SchemaType.STRING)),
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchResolution.class)),
                    @Content(mediaType = Linksets.MEDIA_TYPE, schema = @Schema(type = SchemaType.OBJECT,
                            description = "RFC 9264 linkset")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    @APIResponse(responseCode = "301", description = "A GTIN-8/12/13 path: the 14-digit form is in Location",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "307", description = "A link type this resolver does not have, or the traceability link type",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Invalid GTIN, lot, serial or format (type validation)",
            headers = @Header(name = "Link", description = "The resolver description file (service-desc)", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "Nothing is registered under this link (a page for browsers)",
            headers = @Header(name = "Link", description = "The link's canonical form (owl:sameAs) and the resolver description file",
                    schema = @Schema(type = SchemaType.STRING)), content = {
            @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")),
            @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING))})
    public Response item(@Parameter(example = "04006381333931") @PathParam("gtin") String gtin,
                         @Parameter(example = "LOT-2026/11A") @PathParam("lot") String lot,
                         @Parameter(example = "SN-0001") @PathParam("serial") String serial,
                         @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"json", "html", "linkset", "qr"})) @QueryParam("format") String format,
                         @Parameter(description = "GS1 link type, or all for the linkset", example = "all") @QueryParam("linkType") String linkType,
                         @Context HttpHeaders headers, @Context UriInfo uri) {
        if (!Gtin.isValidLotOrSerial(serial)) {
            return invalid(linkBase.of(uri), "/serial", "serial.invalid", "a serial is 1-20 characters of GS1 character set 82");
        }
        return resolve(new Request(gtin, lot, serial, format, linkType), headers, uri);
    }

    /** What was asked: the path's keys as given, and the {@code format} and {@code linkType} parameters. */
    private record Request(String gtin, String lot, String serial, String format, String linkType) {
    }

    private Response resolve(Request q, HttpHeaders headers, UriInfo uri) {
        String base = linkBase.of(uri);
        String gtin = Gtin.normalise(q.gtin());
        if (gtin == null) {
            return invalid(base, "/gtin", "gtin.invalid", "a GTIN has 8, 12, 13 or 14 digits and a valid check digit");
        }
        if (!Gtin.isValidLotOrSerial(q.lot())) {
            return invalid(base, "/lot", "lot.invalid", "a lot is 1-20 characters of GS1 character set 82");
        }
        String link = DigitalLinks.uri(base, gtin, q.lot(), q.serial());
        if (!gtin.equals(q.gtin())) {
            // Digital Link URI syntax 1.4 §4.8: the canonical form carries the GTIN as 14 digits.
            String query = uri.getRequestUri().getRawQuery();
            return Response.status(Response.Status.MOVED_PERMANENTLY)
                    .location(URI.create(query == null ? link : link + "?" + query))
                    .header("Link", Linksets.header(link)).build();
        }
        if ("qr".equals(q.format())) {
            byte[] png = QrCodes.png(link, 300);
            return Response.ok(png, "image/png").header("Cache-Control", "public, max-age=31536000, immutable")
                    .header("Link", Linksets.header(link)).build();
        }
        if (q.format() != null && !List.of("json", "html", "linkset").contains(q.format())) {
            return invalid(base, "/format", "format.invalid", "format is json, html, linkset or qr");
        }
        String type = Linksets.linkType(q.linkType());
        if (q.linkType() != null && !"all".equals(q.linkType()) && type == null) {
            // Resolver standard 1.1 §6.4: a link type the resolver does not have goes to the default link.
            return Response.temporaryRedirect(URI.create(link)).header("Link", Linksets.header(link)).build();
        }
        boolean linkset = "all".equals(q.linkType()) || "linkset".equals(q.format())
                || q.format() == null && q.linkType() == null && accepts(headers, Linksets.MEDIA_TYPE);
        boolean html = !linkset && ("html".equals(q.format()) || Linksets.PIP.equals(type) || Linksets.DEFAULT_LINK.equals(type)
                || q.format() == null && type == null && prefersHtml(headers));
        Map<String, Object> body = batches.resolve(base, gtin, q.lot(), q.serial());
        if (body == null) {
            return notFound(html, Linksets.unresolvedHeader(base, link));
        }
        if (Linksets.TRACEABILITY.equals(type)) {
            return Response.temporaryRedirect(URI.create(link + "?format=json")).header("Link", Linksets.header(link)).build();
        }
        Response.ResponseBuilder answer;
        if (linkset || Linksets.CERTIFICATION_INFO.equals(type)) {
            answer = Response.ok(Linksets.of(link, base, body), Linksets.MEDIA_TYPE);
        } else if (html) {
            answer = Response.ok(BatchPage.render(PAGE, body), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"));
        } else {
            answer = Response.ok(body, MediaType.APPLICATION_JSON);
        }
        return answer.header("Vary", "Accept").header("Link", Linksets.header(link))
                .header("Cache-Control", html ? "public, max-age=300" : "public, max-age=10").build();
    }

    /** 404: a page for browsers, an RFC 9457 problem for everyone else, both with the resolver's links. */
    private static Response notFound(boolean html, String links) {
        Response answer = html
                ? Response.status(Response.Status.NOT_FOUND).entity(NOT_FOUND_PAGE).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).build()
                : Problem.of("not-found", 404, "Nothing is registered under this Digital Link").retriable(false).toResponse();
        return Response.fromResponse(answer).header("Vary", "Accept").header("Link", links).build();
    }

    /** Whether the client lists {@code type} explicitly among what it accepts. */
    static boolean accepts(HttpHeaders headers, String type) {
        MediaType wanted = MediaType.valueOf(type);
        return headers.getAcceptableMediaTypes().stream()
                .anyMatch(m -> !m.isWildcardType() && !m.isWildcardSubtype() && m.isCompatible(wanted));
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

    /** 400 with the resolver's description link: a malformed link has no canonical form to point to. */
    private static Response invalid(String base, String pointer, String code, String detail) {
        return Response.fromResponse(Problem.of("validation", 400, "Invalid Digital Link").retriable(false)
                .field(pointer, code, detail).toResponse()).header("Link", Linksets.unresolvedHeader(base, null)).build();
    }

    private static String page(String resource) {
        try (InputStream in = DigitalLinkResource.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
