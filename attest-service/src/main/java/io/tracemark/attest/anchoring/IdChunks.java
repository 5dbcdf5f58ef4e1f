package io.tracemark.attest.anchoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts id lists for {@code _id $in} queries. mongo-java-server finds each id through its unique index but
 * then re-checks every found document against the whole {@code $in} list, so one query over n ids costs
 * O(n²); chunks keep that linear in n.
 */
public final class IdChunks {
    /** Ids per {@code $in} query. */
    public static final int SIZE = 50;

    private IdChunks() {
    }

    /** {@code ids} in consecutive chunks of at most {@link #SIZE}. */
    public static <T> List<List<T>> of(List<T> ids) {
        List<List<T>> out = new ArrayList<>((ids.size() + SIZE - 1) / SIZE);
        for (int i = 0; i < ids.size(); i += SIZE) {
            out.add(ids.subList(i, Math.min(ids.size(), i + SIZE)));
        }
        return out;
    }
}
