package io.tracemark.verify.resolver;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolver description file (GS1-Conformant resolver standard 1.1, {@code /.well-known/gs1resolver}): what this
 * resolver answers, on the public port, so that a client given a 400 or 404 finds out what it can ask instead (every
 * such answer links here). The OpenAPI document is on the management port only in production.
 */
@Tag(name = "digital-link", description = "GS1 Digital Link resolver")
@Path(ResolverDescriptionResource.PATH)
public class ResolverDescriptionResource {
    /** Where the description is, under the Digital Link base. */
    public static final String PATH = "/.well-known/gs1resolver";

    @Inject
    DigitalLinkBase linkBase;

    /** The resolver description. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getResolverDescription", summary = "Resolver description",
            description = "GS1-Conformant resolver description: name, resolver root, primary keys (01, GTIN, with lot 10 "
                    + "and serial 21) and the GS1 link types answered.")
    @APIResponse(responseCode = "200", description = "The resolver description file",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response describe(@Context UriInfo uri) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", "Tracemark GS1 Digital Link resolver");
        d.put("resolverRoot", linkBase.of(uri));
        d.put("supportedPrimaryKeys", List.of("01"));
        d.put("supportedQualifiers", List.of("10", "21"));
        d.put("supportedLinkType", Linksets.LINK_TYPES.stream().map(t -> Map.of("namespace", "https://gs1.org/voc/",
                "prefix", "gs1:", "linkType", "gs1:" + t.substring("https://gs1.org/voc/".length()))).toList());
        // The default link is the batch page; the linkset is asked for with linkType=all or its media type.
        d.put("linkTypeDefaultCanBeLinkset", false);
        return Response.ok(d, MediaType.APPLICATION_JSON).header("Cache-Control", "public, max-age=3600").build();
    }
}
