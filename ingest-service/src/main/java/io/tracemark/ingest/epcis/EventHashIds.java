package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openepcis.epc.eventhash.EventHashGenerator;

import java.util.HashMap;
import java.util.List;

/**
 * CBV 2.0 event hash IDs ({@code ni:///sha-256;<hex>?ver=CBV2.0}) computed by the OpenEPCIS
 * generator, the reference implementation the GS1 examples were checked against.
 *
 * <p>The generator expands compact IRIs with the namespaces in force, so an event is hashed with
 * the {@code @context} it carries. A capture document's context (and, as the generator does for a
 * whole document, the contexts of earlier events) is copied onto each event first, see
 * {@link #withContexts}, so that a stored event alone reproduces its hash ID.
 *
 * @see <a href="https://ref.gs1.org/standards/cbv/">CBV 2.0 §8.9 event hash ID</a>
 */
public final class EventHashIds {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private EventHashIds() {
    }

    /** The hash ID of one event (its {@code eventID}, {@code recordTime} and {@code errorDeclaration} are ignored). */
    public static String of(ObjectNode event) {
        // The generator mutates the context map it is given; a fresh one per event keeps events independent.
        return new EventHashGenerator().fromObjectNode(event.deepCopy(), new HashMap<>(), "sha-256");
    }

    /**
     * Copies of a document's events, each carrying the {@code @context} in force for it: the
     * document's entries, then those of every event up to and including it, in document order.
     */
    public static List<JsonNode> withContexts(JsonNode documentContext, JsonNode eventList) {
        ArrayNode inForce = F.arrayNode();
        addContext(inForce, documentContext);
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>(eventList.size());
        for (JsonNode ev : eventList) {
            if (!ev.isObject()) {
                out.add(ev);
                continue;
            }
            ObjectNode copy = ((ObjectNode) ev).deepCopy();
            addContext(inForce, ev.get("@context"));
            if (!inForce.isEmpty()) {
                copy.set("@context", inForce.deepCopy());
            }
            out.add(copy);
        }
        return out;
    }

    private static void addContext(ArrayNode into, JsonNode ctx) {
        if (ctx == null || ctx.isNull()) {
            return;
        }
        if (ctx.isArray()) {
            ctx.forEach(c -> addUnique(into, c));
        } else {
            addUnique(into, ctx);
        }
    }

    private static void addUnique(ArrayNode into, JsonNode c) {
        for (JsonNode existing : into) {
            if (existing.equals(c)) {
                return;
            }
        }
        into.add(c.deepCopy());
    }
}
