package io.tracemark.verify.claims;

import io.quarkus.runtime.configuration.MemorySize;
import io.tracemark.proofs.media.ImageFiles;
import io.tracemark.proofs.media.PerceptualHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * An unchanged file's pHash as verify recomputes it equals the one ingest stored at registration:
 * ingest hashes the uploaded temp file with {@code ImageFiles.phash(Path)}, verify the streamed
 * bytes through {@link FileFingerprint}. The expected values are Python {@code imagehash.phash}'s
 * (proofs' {@code src/test/resources/phash/vectors.tsv}, where these files come from).
 */
class SharedPerceptualHashPathTest {
    private static final Map<String, String> IMAGEHASH = Map.of(
            "scene-21-q75.jpg", "e576a1a8cd23b455",
            "photo-half.png", "893d6cbeec525185",
            "photo-q80.webp", "893d6cbeec525185");

    private final FileFingerprint verify = new FileFingerprint(new MemorySize(BigInteger.valueOf(8L << 20)));

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SharedPerceptualHashPathTest.class.getResourceAsStream("/phash/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void verifyRecomputesIngestsStoredHashForJpegPngAndWebp(@TempDir Path dir) throws Exception {
        for (var e : IMAGEHASH.entrySet()) {
            byte[] bytes = resource(e.getKey());
            Path upload = Files.write(dir.resolve(e.getKey()), bytes);
            String ingestStored = PerceptualHash.hex(ImageFiles.phash(upload));
            FileFingerprint.Fingerprint recomputed = verify.of(new ByteArrayInputStream(bytes));
            assertEquals(ingestStored, PerceptualHash.hex(recomputed.phash()), e.getKey());
            assertEquals(e.getValue(), ingestStored, e.getKey() + " against imagehash.phash");
            assertNull(recomputed.unhashable(), e.getKey());
        }
    }

    @Test
    void nonImageGetsNoHashAndNoComplaint() {
        FileFingerprint.Fingerprint fp = verify.of(new ByteArrayInputStream("%PDF-1.7 not an image".getBytes()));
        assertNull(fp.phash());
        assertNull(fp.unhashable());
    }

    @Test
    void imageTooLargeToHashSaysSoInsteadOfSilentlyDroppingThePhash() throws Exception {
        // A valid PNG whose IHDR is rewritten to 10000×10000 (CRC fixed), as in proofs' ImageFilesTest.
        byte[] png = resource("photo-half.png");
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 10_000).putInt(20, 10_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        FileFingerprint.Fingerprint fp = verify.of(new ByteArrayInputStream(png));
        assertNull(fp.phash());
        assertEquals("image.too-large: the image has 100000000 pixels; at most " + ImageFiles.MAX_PIXELS
                + " are hashed", fp.unhashable());
    }
}
