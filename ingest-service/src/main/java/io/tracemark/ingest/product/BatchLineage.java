package io.tracemark.ingest.product;

import com.mongodb.client.model.Filters;
import io.tracemark.ingest.records.RecordStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks batch lineage over {@code keys.inputs}: ancestors are the inputs of inputs, descendants the
 * batches that name a batch as input. One query per generation, bounded in depth and size.
 */
@ApplicationScoped
public class BatchLineage {
    /** Generations walked in each direction at most. */
    public static final int MAX_DEPTH = 32;
    /** Batches returned in each direction at most. */
    public static final int MAX_NODES = 1000;
    private final RecordStore store;

    /** A batch identity. */
    public record Node(String gtin, String lot) {
        Document key() {
            return new Document("gtin", gtin).append("lot", lot);
        }
    }

    /** A batch found while walking, with its distance and the records that registered it. */
    public record Found(String gtin, String lot, int depth, List<String> recordIds) {
    }

    /** The walk result; {@code truncated} when a bound was hit. */
    public record Lineage(List<String> recordIds, List<Found> ancestors, List<Found> descendants, boolean truncated) {
    }

    public BatchLineage(RecordStore store) {
        this.store = store;
    }

    /** Ancestors and descendants of one batch of a tenant. */
    public Lineage of(String tenant, Node start) {
        List<String> own = ids(store.findAll(tenant, byNodes(List.of(start)), MAX_NODES));
        boolean[] truncated = {false};
        List<Found> up = walk(tenant, start, true, truncated);
        List<Found> down = walk(tenant, start, false, truncated);
        return new Lineage(own, up, down, truncated[0]);
    }

    private List<Found> walk(String tenant, Node start, boolean ancestors, boolean[] truncated) {
        Map<Node, Found> seen = new LinkedHashMap<>();
        seen.put(start, null);
        List<Node> frontier = List.of(start);
        for (int depth = 1; !frontier.isEmpty(); depth++) {
            if (depth > MAX_DEPTH) {
                truncated[0] = true;
                break;
            }
            List<Document> docs = ancestors
                    ? store.findAll(tenant, byNodes(frontier), MAX_NODES + 1)
                    : store.findAll(tenant, Filters.and(Filters.eq("type", ProductBatchType.NAME),
                    Filters.in("keys.inputs", frontier.stream().map(Node::key).toList())), MAX_NODES + 1);
            Map<Node, List<String>> next = new LinkedHashMap<>();
            for (Document d : docs) {
                Document k = d.get("keys", Document.class);
                if (ancestors) {
                    for (Document in : k.getList("inputs", Document.class, List.of())) {
                        Node n = new Node(in.getString("gtin"), in.getString("lot"));
                        if (!seen.containsKey(n)) {
                            next.computeIfAbsent(n, x -> new ArrayList<>());
                        }
                    }
                } else {
                    Node n = new Node(k.getString("gtin"), k.getString("lot"));
                    if (!seen.containsKey(n)) {
                        next.computeIfAbsent(n, x -> new ArrayList<>()).add(d.getString("_id"));
                    }
                }
            }
            if (ancestors && !next.isEmpty()) {
                for (Document d : store.findAll(tenant, byNodes(new ArrayList<>(next.keySet())), MAX_NODES + 1)) {
                    Document k = d.get("keys", Document.class);
                    next.get(new Node(k.getString("gtin"), k.getString("lot"))).add(d.getString("_id"));
                }
            }
            for (var e : next.entrySet()) {
                if (seen.size() > MAX_NODES) {
                    truncated[0] = true;
                    break;
                }
                seen.put(e.getKey(), new Found(e.getKey().gtin(), e.getKey().lot(), depth, e.getValue()));
            }
            frontier = next.keySet().stream().filter(seen::containsKey).toList();
        }
        return seen.values().stream().filter(f -> f != null).toList();
    }

    private static Bson byNodes(List<Node> nodes) {
        List<Bson> any = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            any.add(Filters.and(Filters.eq("keys.gtin", n.gtin()), Filters.eq("keys.lot", n.lot())));
        }
        return Filters.and(Filters.eq("type", ProductBatchType.NAME), Filters.or(any));
    }

    private static List<String> ids(List<Document> docs) {
        return docs.stream().map(d -> d.getString("_id")).toList();
    }
}
