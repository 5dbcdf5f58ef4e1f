package io.tracemark.proofs.media;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * The one decode-then-hash path for image files: recognises JPEG, PNG and WebP by their signature
 * bytes (never by a declared type), refuses images whose pixel count could exhaust memory, decodes
 * the first frame with ImageIO and returns its {@link PerceptualHash}. WebP needs an ImageIO plugin
 * on the class path (the services bring TwelveMonkeys {@code imageio-webp}).
 */
public final class ImageFiles {
    /** Largest image decoded for hashing (pixels); bigger ones are refused rather than risk a decompression bomb. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;
    private static final int HEAD = 12;

    static {
        // ImageIO registers plugins (such as WebP) through the context class loader of the first caller.
        ImageIO.scanForPlugins();
    }

    private ImageFiles() {
    }

    /** The media type whose signature {@code head} (a file's first bytes) starts with, if Tracemark hashes that type. */
    public static Optional<String> sniff(byte[] head) {
        int n = head.length;
        if (n >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return Optional.of("image/jpeg");
        }
        if (n >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == '\r' && head[5] == '\n' && head[6] == 0x1A && head[7] == '\n') {
            return Optional.of("image/png");
        }
        if (n >= HEAD && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    /** {@link #sniff(byte[])} on a file's first bytes. */
    public static Optional<String> sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sniff(in.readNBytes(HEAD));
        }
    }

    /**
     * Decodes an image file and returns its pHash.
     *
     * @throws ImageException {@code image.unsupported}, {@code image.too-large} or {@code image.undecodable}
     */
    public static long phash(Path file) throws ImageException, IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return PerceptualHash.of(decode(in));
        }
    }

    /**
     * Decodes image bytes and returns their pHash.
     *
     * @throws ImageException {@code image.unsupported}, {@code image.too-large} or {@code image.undecodable}
     */
    public static long phash(byte[] bytes) throws ImageException {
        // In memory: ImageIO's default stream would spill the bytes to a temporary file.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return PerceptualHash.of(decode(in));
        } catch (IOException e) {
            throw new ImageException("image.undecodable", "the image cannot be read: " + e.getMessage());
        }
    }

    private static BufferedImage decode(ImageInputStream in) throws ImageException {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            throw new ImageException("image.unsupported", "no decoder for this image format");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_PIXELS) {
                throw new ImageException("image.too-large", "the image has " + pixels
                        + " pixels; at most " + MAX_PIXELS + " are hashed");
            }
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw new ImageException("image.undecodable", "the image cannot be decoded: " + e.getMessage());
        } finally {
            reader.dispose();
        }
    }
}
