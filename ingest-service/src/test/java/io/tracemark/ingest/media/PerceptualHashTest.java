package io.tracemark.ingest.media;

import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerceptualHashTest {

    /** A deterministic picture with structure at several scales: shapes on a gradient. */
    static BufferedImage picture(long seed, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.DARK_GRAY, w, h, Color.LIGHT_GRAY));
        g.fillRect(0, 0, w, h);
        Random r = new Random(seed);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            int x = r.nextInt(w);
            int y = r.nextInt(h);
            if (i % 2 == 0) {
                g.fillOval(x - w / 8, y - h / 8, w / 4, h / 4);
            } else {
                g.fillRect(x - w / 10, y - h / 6, w / 5, h / 3);
            }
        }
        g.dispose();
        return img;
    }

    static byte[] jpeg(BufferedImage img, float quality) throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img, null, null), p);
        }
        w.dispose();
        return out.toByteArray();
    }

    static BufferedImage scaled(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    @Test
    void dctMatchesTheDctIIDefinition() {
        double[][] in = new double[32][32];
        Random r = new Random(7);
        for (double[] row : in) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextInt(256);
            }
        }
        double[][] fast = PerceptualHash.dct2(in);
        for (int u : new int[]{0, 1, 5, 7}) {
            for (int v : new int[]{0, 2, 3, 7}) {
                double s = 0;
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        s += in[y][x] * Math.cos(Math.PI / 32 * (y + 0.5) * u) * Math.cos(Math.PI / 32 * (x + 0.5) * v);
                    }
                }
                assertEquals(s, fast[u][v], 1e-6);
            }
        }
    }

    @Test
    void sameImageHashesIdentically() {
        assertEquals(PerceptualHash.of(picture(1, 640, 480)), PerceptualHash.of(picture(1, 640, 480)));
    }

    @Test
    void rescaledAndRecompressedCopyIsANearDuplicate() throws Exception {
        BufferedImage original = picture(2, 1024, 768);
        long h = PerceptualHash.of(original);
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(jpeg(scaled(original, 300, 225), 0.6f)));
        int d = PerceptualHash.distance(h, PerceptualHash.of(small));
        assertTrue(d <= 10, "distance " + d);
    }

    @Test
    void brightenedCopyIsANearDuplicate() {
        BufferedImage original = picture(3, 512, 512);
        BufferedImage bright = new java.awt.image.RescaleOp(1.1f, 15f, null).filter(original, null);
        int d = PerceptualHash.distance(PerceptualHash.of(original), PerceptualHash.of(bright));
        assertTrue(d <= 10, "distance " + d);
    }

    @Test
    void differentImagesAreFarApart() {
        int near = 0;
        for (long seed = 10; seed < 30; seed++) {
            int d = PerceptualHash.distance(PerceptualHash.of(picture(seed, 400, 300)), PerceptualHash.of(picture(seed + 100, 400, 300)));
            if (d <= 10) {
                near++;
            }
        }
        assertTrue(near <= 1, near + " of 20 unrelated pairs looked near-duplicate");
    }

    @Test
    void hashIsSixteenHexDigitsAndFourSixteenBitChunks() {
        long h = 0x0123456789abcdefL;
        assertEquals("0123456789abcdef", PerceptualHash.hex(h));
        assertArrayEquals(new int[]{0x0123, 0x4567, 0x89ab, 0xcdef}, PerceptualHash.chunks(h));
        assertEquals(64, PerceptualHash.distance(0L, -1L));
    }
}
