package io.tracemark.contracts.http;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of every Tracemark service's OpenAPI document that are the same everywhere: the RFC 9457
 * {@code Problem} schema, the one bearer security scheme tenant API keys are sent with
 * ({@code Authorization: Bearer tmk_…}), and the error answers the shared HTTP edge gives on every
 * operation (401/403 where a key is required, 400/413/415 where a body is read, 429 where the service
 * rate-limits). Error answers an operation declares without a body get the Problem body.
 *
 * <p>Each service names it in {@code mp.openapi.filter}. The build fails on an operation without an
 * {@code operationId}, since generated clients name their methods after it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457 Problem Details for HTTP APIs</a>
 */
public class ApiContractFilter implements OASFilter {
    /** Name of the bearer security scheme; operations that need a tenant key reference it. */
    public static final String SECURITY_SCHEME = "tenantApiKey";
    /** Name of the RFC 9457 problem schema in {@code components/schemas}. */
    public static final String PROBLEM = "Problem";
    /** Media type of problem bodies. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Config key: {@code true} where every request passes a per-client rate limit (429 with Retry-After). */
    public static final String RATE_LIMITED = "tracemark.openapi.rate-limited";

    /** Schema extension marking a property whose referenced object schema may be null (inlined by this filter). */
    public static final String NULLABLE = "x-tracemark-nullable";

    private static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getServers() == null || api.getServers().isEmpty()) {
            // Relative: the service at the origin the document was read from, whatever its host and port.
            api.setServers(new ArrayList<>(List.of(OASFactory.createServer().url("/")
                    .description("This service (the origin this document was served from)"))));
        }
        Components components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        api.setComponents(components);
        Map<String, SecurityScheme> schemes = new LinkedHashMap<>();
        schemes.put(SECURITY_SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("tmk_<keyId>_<secret>")
                .description("A tenant API key (or, for /v1/admin, the operator's admin key) sent as "
                        + "'Authorization: Bearer tmk_…'. Keys are issued by the operator and shown once."));
        components.setSecuritySchemes(schemes);
        components.addSchema("ProblemFieldError", fieldErrorSchema());
        components.addSchema(PROBLEM, problemSchema());
        inlineNullableReferences(components);
        boolean rateLimited = rateLimited();
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : api.getPaths().getPathItems().entrySet()) {
            if (path.getValue().getOperations() == null) {
                continue;
            }
            path.getValue().getOperations().forEach((method, op) -> complete(path.getKey(), method.name(), op, rateLimited));
        }
    }

    private static void complete(String path, String method, Operation op, boolean rateLimited) {
        if (op.getOperationId() == null || op.getOperationId().isBlank()) {
            throw new IllegalStateException(method + " " + path + " has no operationId: give its @Operation one");
        }
        APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses() : op.getResponses();
        op.setResponses(responses);
        boolean secured = op.getSecurity() != null && !op.getSecurity().isEmpty();
        if (secured) {
            addIfAbsent(responses, "401", "No API key, or an unknown or revoked one (type unauthenticated)");
            addIfAbsent(responses, "403", "The API key lacks the role this operation needs (type forbidden)");
        } else {
            // Stated explicitly, so that a reader (and a linter) sees the operation is public on purpose.
            op.setSecurity(new ArrayList<>());
        }
        if (op.getRequestBody() != null) {
            Content body = op.getRequestBody().getContent();
            var types = body == null || body.getMediaTypes() == null ? List.<String>of() : List.copyOf(body.getMediaTypes().keySet());
            if (types.stream().anyMatch(t -> t.contains("json"))) {
                addIfAbsent(responses, "400", "The body is not well-formed JSON (type malformed-json) or is invalid");
            }
            addIfAbsent(responses, "413", "The body is over the size limit (type payload-too-large)");
            if (types.stream().noneMatch(t -> t.startsWith("*"))) {
                addIfAbsent(responses, "415", "The body's Content-Type is not one this operation reads");
            }
        }
        if (rateLimited && !responses.hasAPIResponse("429")) {
            responses.addAPIResponse("429", OASFactory.createAPIResponse()
                    .description("Too many requests from this client (type rate-limited); retry after Retry-After seconds")
                    .addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before retrying")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))));
        }
        for (Map.Entry<String, APIResponse> r : responses.getAPIResponses().entrySet()) {
            if (isError(r.getKey()) && (r.getValue().getContent() == null || r.getValue().getContent().getMediaTypes() == null
                    || r.getValue().getContent().getMediaTypes().isEmpty())) {
                r.getValue().setContent(problemContent());
            }
        }
    }

    /**
     * OpenAPI 3.0 cannot say "this referenced schema or null": {@code nullable} beside a {@code $ref} or an
     * {@code allOf} of it is ignored by validators, which then refuse the null the service sends. A property marked
     * with the extension {@value #NULLABLE} therefore gets the referenced schemas' properties inline, as a nullable
     * object of its own.
     */
    private static void inlineNullableReferences(Components components) {
        Map<String, Schema> all = components.getSchemas();
        if (all == null) {
            return;
        }
        for (Schema schema : List.copyOf(all.values())) {
            if (schema.getProperties() == null) {
                continue;
            }
            for (Schema property : schema.getProperties().values()) {
                if (property.getExtensions() == null || !property.getExtensions().containsKey(NULLABLE)) {
                    continue;
                }
                property.removeExtension(NULLABLE);
                List<String> refs = new ArrayList<>();
                if (property.getRef() != null) {
                    refs.add(property.getRef());
                }
                if (property.getAllOf() != null) {
                    property.getAllOf().forEach(a -> refs.add(a.getRef()));
                }
                Map<String, Schema> properties = new LinkedHashMap<>();
                List<String> required = new ArrayList<>();
                for (String ref : refs) {
                    collect(all, ref, properties, required);
                }
                if (property.getProperties() != null) {
                    properties.putAll(property.getProperties());
                }
                if (property.getRequired() != null) {
                    required.addAll(property.getRequired());
                }
                property.setRef(null);
                property.setAllOf(null);
                property.setType(new ArrayList<>(List.of(Schema.SchemaType.OBJECT, Schema.SchemaType.NULL)));
                property.setProperties(properties);
                property.setRequired(required.isEmpty() ? null : required.stream().distinct().toList());
            }
        }
    }

    /** Adds the properties and required names of the schema {@code ref} names, and of the schemas it composes. */
    private static void collect(Map<String, Schema> all, String ref, Map<String, Schema> properties, List<String> required) {
        Schema target = ref == null ? null : all.get(ref.substring(ref.lastIndexOf('/') + 1));
        if (target == null) {
            throw new IllegalStateException("cannot inline " + ref + " into a nullable property");
        }
        if (target.getAllOf() != null) {
            target.getAllOf().forEach(a -> collect(all, a.getRef(), properties, required));
        }
        if (target.getProperties() != null) {
            properties.putAll(target.getProperties());
        }
        if (target.getRequired() != null) {
            required.addAll(target.getRequired());
        }
    }

    private static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }

    private static void addIfAbsent(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        }
    }

    private static Content problemContent() {
        MediaType problem = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF));
        return OASFactory.createContent().addMediaType(PROBLEM_JSON, problem);
    }

    private static boolean rateLimited() {
        try {
            return ConfigProvider.getConfig().getOptionalValue(RATE_LIMITED, Boolean.class).orElse(false);
        } catch (RuntimeException | LinkageError e) {
            // No config outside a running service (e.g. a static spec tool): no rate limit is documented.
            return false;
        }
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }

    private static Schema fieldErrorSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One invalid input, named by a JSON pointer into the request, with a stable code.")
                .addProperty("pointer", string("JSON pointer to the input at fault, e.g. /payload/gtin or /query/size")
                        .example("/payload/gtin"))
                .addProperty("code", string("Stable machine-readable reason, e.g. gtin.check-digit").example("gtin.check-digit"))
                .addProperty("detail", string("Human-readable explanation").example("the GTIN's check digit is wrong"))
                .required(List.of("pointer", "code"));
    }

    private static Schema problemSchema() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", "https://tracemark.dev/problems/validation");
        example.put("title", "Record is invalid");
        example.put("status", 422);
        example.put("retriable", false);
        // Ordered maps: the document is committed, so its bytes must not change from run to run.
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("pointer", "/payload/gtin");
        error.put("code", "gtin.check-digit");
        error.put("detail", "the GTIN's check digit is wrong");
        example.put("errors", List.of(error));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details. Switch on 'type' (stable), not on 'title'. Some problems carry "
                        + "extension members, e.g. 'existing' (the record a duplicate collided with).")
                .addProperty("type", string("Stable problem type URI under https://tracemark.dev/problems/")
                        .format("uri").example("https://tracemark.dev/problems/validation"))
                .addProperty("title", string("Short summary of the problem type").example("Record is invalid"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                        .description("The HTTP status code").example(422))
                .addProperty("detail", string("Explanation of this occurrence"))
                .addProperty("instance", string("URI reference of this occurrence or of the resource it concerns"))
                .addProperty("retriable", OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN)
                        .description("Whether the same request may succeed later (retry) or never will (fix it)"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .description("The inputs at fault").items(OASFactory.createSchema().ref("#/components/schemas/ProblemFieldError")))
                .required(List.of("type", "title", "status"))
                .additionalPropertiesBoolean(Boolean.TRUE)
                .example(example);
    }
}
