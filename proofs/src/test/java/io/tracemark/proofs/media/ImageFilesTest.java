package io.tracemark.proofs.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Signature sniffing and the bounded decode that ingest and verify share. */
class ImageFilesTest {
    private static byte[] vector(String name) {
        return ImagehashVectorsTest.bytes(name);
    }

    @Test
    void sniffsJpegPngAndWebpByTheirSignatures() {
        assertEquals(Optional.of("image/jpeg"), ImageFiles.sniff(vector("photo-q85.jpg")));
        assertEquals(Optional.of("image/png"), ImageFiles.sniff(vector("photo.png")));
        assertEquals(Optional.of("image/webp"), ImageFiles.sniff(vector("photo-q80.webp")));
        assertEquals(Optional.empty(), ImageFiles.sniff("GIF89a not hashed".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), ImageFiles.sniff(Arrays.copyOf(vector("photo.png"), 4)));
        byte[] riffWave = vector("photo-q80.webp");
        riffWave[8] = 'A';
        assertEquals(Optional.empty(), ImageFiles.sniff(riffWave));
    }

    @Test
    void fileAndBytesGiveTheSameHash(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("upload.bin");
        Files.write(f, vector("scene-21-q75.jpg"));
        assertEquals(Optional.of("image/jpeg"), ImageFiles.sniff(f));
        assertEquals(ImageFiles.phash(vector("scene-21-q75.jpg")), ImageFiles.phash(f));
    }

    @Test
    void refusesAnImageWhoseHeaderClaimsMoreThanMaxPixels() {
        // Mutate a valid PNG's IHDR to 10000×10000 (fixing its CRC): refused before any pixel is decoded.
        byte[] png = vector("gradient.png");
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, 10_000).putInt(20, 10_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        ImageException e = assertThrows(ImageException.class, () -> ImageFiles.phash(png));
        assertEquals("image.too-large", e.code());
        assertEquals("the image has 100000000 pixels; at most " + ImageFiles.MAX_PIXELS + " are hashed", e.getMessage());
    }

    @Test
    void reportsATruncatedImageAsUndecodable() {
        byte[] png = Arrays.copyOf(vector("photo.png"), 100);
        assertEquals("image.undecodable", assertThrows(ImageException.class, () -> ImageFiles.phash(png)).code());
    }

    @Test
    void reportsBytesNoDecoderKnowsAsUnsupported() {
        byte[] text = "just some text, not an image".getBytes(StandardCharsets.US_ASCII);
        assertEquals("image.unsupported", assertThrows(ImageException.class, () -> ImageFiles.phash(text)).code());
    }
}
