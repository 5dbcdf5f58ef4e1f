package io.tracemark.localstack.load;

import com.sun.net.httpserver.HttpServer;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Duplicate leaves counted from a chain node's checkpoint and entry bundles (a stand-in serving a 600-leaf tree). */
class ChainLeavesTest {
    private static byte[] digest(int n) {
        byte[] d = new byte[32];
        d[0] = (byte) (n >> 8);
        d[1] = (byte) n;
        return d;
    }

    @Test
    void countsOnlyTheRunsDigestsThatAreInTheTreeTwiceWithinTheRange() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            leaves.add(digest(i));
        }
        leaves.set(500, digest(300));  // a run digest again, across a bundle boundary
        leaves.set(550, digest(5));    // a digest from before the run: its first copy lies outside the range
        leaves.set(560, digest(1000)); // not a digest of the run
        leaves.set(561, digest(1000));
        long size = leaves.size();
        HttpServer chain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        chain.createContext("/checkpoint", ex -> {
            byte[] note = (new Checkpoint("example.test/log", size, new byte[32]).text() + "\n— example.test/log AAAA\n")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, note.length);
            ex.getResponseBody().write(note);
            ex.close();
        });
        chain.createContext("/tile/", ex -> {
            TilePath p = TilePath.parse(ex.getRequestURI().getPath().substring(1));
            int from = (int) (p.index() * Tiles.WIDTH);
            byte[] body = EntryBundle.encode(leaves.subList(from, from + p.width()));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        chain.start();
        try {
            String url = "http://127.0.0.1:" + chain.getAddress().getPort();
            assertEquals(600, ChainLeaves.treeSize(url));
            HexFormat hex = HexFormat.of();
            List<String> run = new ArrayList<>();
            for (int i = 200; i < 600; i++) {
                run.add(hex.formatHex(digest(i)));
            }
            run.add(hex.formatHex(digest(5)));
            assertEquals(1, ChainLeaves.extraLeaves(url, 200, size, run));
            assertEquals(0, ChainLeaves.extraLeaves(url, 200, 500, run));
            assertEquals(0, ChainLeaves.extraLeaves(url, 600, 600, run));
        } finally {
            chain.stop(0);
        }
    }
}
