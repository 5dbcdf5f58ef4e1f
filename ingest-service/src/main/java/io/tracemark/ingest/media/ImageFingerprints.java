package io.tracemark.ingest.media;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * Recognises JPEG, PNG and WebP files by their signature bytes (never by the declared type) and
 * computes their perceptual hash, refusing images whose pixel count would exhaust memory.
 */
public final class ImageFingerprints {
    /** Largest image decoded for hashing (pixels); bigger ones are rejected rather than risk a decompression bomb. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    static {
        // ImageIO finds plugins (TwelveMonkeys WebP) through the class loader that first touched it.
        ImageIO.scanForPlugins();
    }

    private ImageFingerprints() {
    }

    /** Why an image could not be hashed. */
    public static final class ImageException extends Exception {
        private final String code;

        ImageException(String code, String message) {
            super(message);
            this.code = code;
        }

        /** Stable error code. */
        public String code() {
            return code;
        }
    }

    /** The media type whose signature a file starts with, if it is an image type Tracemark hashes. */
    public static Optional<String> sniff(Path file) throws IOException {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8 && (head[2] & 0xff) == 0xFF) {
            return Optional.of("image/jpeg");
        }
        if (n >= 8 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return Optional.of("image/png");
        }
        if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    /** Decodes an image file and returns its 64-bit pHash. */
    public static long phash(Path file) throws ImageException, IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
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
                BufferedImage img = reader.read(0);
                return PerceptualHash.of(img);
            } catch (IOException | RuntimeException e) {
                throw new ImageException("image.undecodable", "the image cannot be decoded: " + e.getMessage());
            } finally {
                reader.dispose();
            }
        }
    }
}
