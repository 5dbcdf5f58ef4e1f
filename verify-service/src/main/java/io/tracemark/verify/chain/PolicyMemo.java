package io.tracemark.verify.chain;

import io.tracemark.proofs.receipt.CheckMemo;
import io.tracemark.proofs.receipt.ReceiptCheck;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * proofs' {@link CheckMemo} for one trust decision: checkpoint signature and time-stamp outcomes by note
 * (and token), at most {@code capacity} of them. When full it starts over, which costs one re-check per
 * checkpoint still in use; checkpoints come one per block, so this is rare.
 */
final class PolicyMemo implements CheckMemo {
    private final Map<String, ReceiptCheck> outcomes = new ConcurrentHashMap<>();
    private final int capacity;

    PolicyMemo(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public ReceiptCheck remember(String key, Supplier<ReceiptCheck> check) {
        ReceiptCheck known = outcomes.get(key);
        if (known != null) {
            return known;
        }
        ReceiptCheck outcome = check.get();
        if (outcomes.size() >= capacity) {
            outcomes.clear();
        }
        outcomes.put(key, outcome);
        return outcome;
    }
}
