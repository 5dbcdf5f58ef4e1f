package io.tracemark.chain.cosign;

import io.tracemark.chain.checkpoint.CheckpointSigner;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifiedNote;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Merges other replicas' signatures into this replica's checkpoints (C2SP signed-note allows any
 * number of signatures): a cosignature is kept only if it verifies, with a trusted key, over the
 * exact checkpoint body this replica computed itself for that size.
 */
public final class CosignatureBook {
    private static final int KEEP_CHECKPOINTS = 4096;
    private static final int KEEP_EARLY = 4096;

    private final String origin;
    private final String ownName;
    private final TrustPolicy trust;
    private final Map<Long, Entry> bySize = new LinkedHashMap<>();
    // Cosignatures can arrive before this replica has sealed the same size (it is behind).
    private final Map<Long, List<CosignatureMessage>> early = new TreeMap<>();
    private final LongAdder merged = new LongAdder();

    /** A book for checkpoints of {@code origin} signed by this replica as {@code ownName}. */
    public CosignatureBook(String origin, String ownName, TrustPolicy trust) {
        this.origin = origin;
        this.ownName = ownName;
        this.trust = trust;
    }

    /** Records this replica's own signed checkpoint and merges cosignatures that arrived early. */
    public synchronized void recordOwn(long size, String body, NoteSignature own) {
        bySize.put(size, new Entry(body, own));
        if (bySize.size() > KEEP_CHECKPOINTS) {
            Iterator<Long> it = bySize.keySet().iterator();
            it.next();
            it.remove();
        }
        List<CosignatureMessage> waiting = early.remove(size);
        if (waiting != null) {
            waiting.forEach(this::merge);
        }
        early.keySet().removeIf(s -> s < size);
    }

    /** Offers a signature from the signatures topic; returns whether it was merged. */
    public synchronized boolean offer(CosignatureMessage m) {
        if (!origin.equals(m.origin()) || ownName.equals(m.keyName())) {
            return false;
        }
        if (!bySize.containsKey(m.treeSize())) {
            if (early.size() < KEEP_EARLY) {
                early.computeIfAbsent(m.treeSize(), s -> new ArrayList<>()).add(m);
            }
            return false;
        }
        return merge(m);
    }

    private boolean merge(CosignatureMessage m) {
        Entry e = bySize.get(m.treeSize());
        Optional<NoteVerifier> key = trust.accept(m.verifierKey());
        if (e == null || key.isEmpty() || !key.get().name().equals(m.keyName())) {
            return false;
        }
        Optional<NoteSignature> sig = verifiedLine(e.body, m.signatureLine(), key.get());
        if (sig.isEmpty()) {
            return false;
        }
        if (e.cosignatures.put(m.keyName(), sig.get()) == null) {
            merged.increment();
        }
        return true;
    }

    /**
     * The signature on {@code line} if it is exactly one C2SP signed-note line by {@code key} that
     * verifies over {@code body}; the line comes from the topic, so it must not smuggle in more.
     */
    private static Optional<NoteSignature> verifiedLine(String body, String line, NoteVerifier key) {
        try {
            byte[] note = (body + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
            VerifiedNote opened = Notes.open(note, VerifierSet.of(key));
            List<NoteSignature> sigs = opened.note().signatures();
            return opened.text().equals(body) && sigs.size() == 1 ? Optional.of(sigs.get(0)) : Optional.empty();
        } catch (ProofException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Adds a witness cosignature (C2SP tlog-cosignature) that the caller verified over {@code body};
     * dropped if this replica no longer keeps that checkpoint or signed another body for its size.
     */
    public synchronized void addWitnessCosignature(long size, String body, NoteSignature cosignature) {
        Entry e = bySize.get(size);
        if (e != null && e.body.equals(body)) {
            // Keyed by name and key ID, so a witness sharing a replica's key name cannot displace its signature.
            String key = cosignature.name() + "+" + NoteKeys.keyIdHex(cosignature.keyId());
            e.cosignatures.put(key, cosignature);
            e.witnesses.add(key);
        }
    }

    /**
     * Of the checkpoints still kept with size at least {@code from}, the size of the one carrying the most witness
     * cosignatures (the smallest such size), or empty when none of them is witnessed. Witnesses may skip sizes,
     * so a receipt's checkpoint is shown witnessed through a later one.
     */
    public synchronized OptionalLong witnessedFrom(long from) {
        long best = -1;
        int most = 0;
        for (Map.Entry<Long, Entry> e : bySize.entrySet()) {
            int n = e.getValue().witnesses.size();
            if (e.getKey() >= from && (n > most || n == most && n > 0 && e.getKey() < best)) {
                best = e.getKey();
                most = n;
            }
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    /** Distinct cosignatures merged so far. */
    public long mergedCount() {
        return merged.sum();
    }

    /** The multi-signed note for {@code size}: own signature first, then cosigners by name. */
    public synchronized Optional<String> note(long size) {
        Entry e = bySize.get(size);
        if (e == null) {
            return Optional.empty();
        }
        List<NoteSignature> sigs = new ArrayList<>();
        sigs.add(e.own);
        sigs.addAll(e.cosignatures.values());
        return Optional.of(CheckpointSigner.encode(new Note(e.body, sigs)));
    }

    /** The checkpoint body this replica signed for {@code size}, if still remembered. */
    public synchronized Optional<String> body(long size) {
        return Optional.ofNullable(bySize.get(size)).map(e -> e.body);
    }

    private static final class Entry {
        final String body;
        final NoteSignature own;
        final Map<String, NoteSignature> cosignatures = new TreeMap<>();
        final Set<String> witnesses = new HashSet<>();

        Entry(String body, NoteSignature own) {
            this.body = body;
            this.own = own;
        }
    }
}
