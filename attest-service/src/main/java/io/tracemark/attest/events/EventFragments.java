package io.tracemark.attest.events;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stores the part of event JSON that many events share once ({@code event_fragments}, content-addressed
 * by SHA-256): the receipt's RFC 3161 {@code timestamp} object (token and TSA certificate, a few KB) is
 * the same for every record of a block, so {@code record.anchored} events keep a reference to it in
 * MongoDB and get it back on read. What a consumer receives is unchanged.
 */
final class EventFragments {
    /** A receipt's timestamp object: base64 and PEM text, so it holds no braces. */
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":(\\{[^{}]*\\})");
    private static final Pattern REFERENCE = Pattern.compile("\"timestamp\":\\{\"\\$fragment\":\"([0-9a-f]{64})\"\\}");
    private static final int CACHE = 1024;

    private final MongoCollection<Document> fragments;
    private final Map<String, String> cache = new LinkedHashMap<>(CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHE;
        }
    };

    EventFragments(MongoCollection<Document> fragments) {
        this.fragments = fragments;
    }

    /** The JSON to store: shared fragments replaced by references, each fragment written once. */
    String compact(String json) {
        Matcher m = TIMESTAMP.matcher(json);
        if (!m.find()) {
            return json;
        }
        String fragment = m.group(1);
        String id = sha256(fragment);
        boolean known;
        synchronized (cache) {
            known = cache.containsKey(id);
        }
        if (!known) {
            try {
                fragments.insertOne(new Document("_id", id).append("json", fragment));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            synchronized (cache) {
                cache.put(id, fragment);
            }
        }
        return json.substring(0, m.start(1)) + "{\"$fragment\":\"" + id + "\"}" + json.substring(m.end(1));
    }

    /** The JSON as it was appended. */
    String expand(String stored) {
        Matcher m = REFERENCE.matcher(stored);
        if (!m.find()) {
            return stored;
        }
        String id = m.group(1);
        String fragment;
        synchronized (cache) {
            fragment = cache.get(id);
        }
        if (fragment == null) {
            Document d = fragments.find(Filters.eq("_id", id)).first();
            if (d == null) {
                throw new IllegalStateException("event fragment " + id + " is missing");
            }
            fragment = d.getString("json");
            synchronized (cache) {
                cache.put(id, fragment);
            }
        }
        return stored.substring(0, m.start()) + "\"timestamp\":" + fragment + stored.substring(m.end());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
