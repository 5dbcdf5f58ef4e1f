package io.tracemark.localstack.load;

import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The ledger's leaves as a chain-node replica serves them (C2SP tlog-tiles entry bundles, each entry a
 * record digest): whether any digest of the run is in the tree more than once. The leaves topic cannot
 * tell: a republished anchor request puts a digest there twice, and the chain node skips the second.
 */
final class ChainLeaves {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChainLeaves() {
    }

    /** The size of the replica's latest checkpoint. */
    static long treeSize(String chainUrl) throws IOException, InterruptedException {
        String note = new String(get(chainUrl + "/checkpoint"), StandardCharsets.UTF_8);
        int body = note.indexOf("\n\n");
        return Checkpoint.parse(body < 0 ? note : note.substring(0, body + 1)).size();
    }

    /** Reads leaves {@code [from, to)} and counts entries of {@code digestsHex} beyond each one's first. */
    static long extraLeaves(String chainUrl, long from, long to, Collection<String> digestsHex)
            throws IOException, InterruptedException {
        Map<String, Integer> seen = new HashMap<>();
        digestsHex.forEach(d -> seen.put(d, 0));
        HexFormat hex = HexFormat.of();
        long extra = 0;
        for (long bundle = from / Tiles.WIDTH; from < to && bundle <= (to - 1) / Tiles.WIDTH; bundle++) {
            TilePath path = Tiles.entryBundleForLeaf(bundle * Tiles.WIDTH, to);
            List<byte[]> entries = EntryBundle.decode(get(chainUrl + "/" + path.format()), path.width());
            for (int i = 0; i < entries.size(); i++) {
                long leaf = bundle * Tiles.WIDTH + i;
                if (leaf < from || leaf >= to) {
                    continue;
                }
                String d = hex.formatHex(entries.get(i));
                Integer n = seen.get(d);
                if (n != null) {
                    extra += n >= 1 ? 1 : 0;
                    seen.put(d, n + 1);
                }
            }
        }
        return extra;
    }

    /** GET with a few retries: a replica may just be restarting at the end of a fault run. */
    private static byte[] get(String url) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    return r.body();
                }
                last = new IOException("HTTP " + r.statusCode() + " from " + url);
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(1000);
        }
        throw last;
    }
}
