package io.tracemark.proofs.media;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Photo-like test images drawn with java.awt, and the everyday transformations copies go through. */
final class TestImages {
    private TestImages() {
    }

    /** A 640×480 scene: a gradient with scattered translucent shapes and strokes, all from {@code seed}. */
    static BufferedImage scene(long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(rnd.nextInt(0xFFFFFF)), 640, 480, new Color(rnd.nextInt(0xFFFFFF))));
        g.fillRect(0, 0, 640, 480);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), 120 + rnd.nextInt(136)));
            int x = rnd.nextInt(640);
            int y = rnd.nextInt(480);
            int w = 40 + rnd.nextInt(260);
            int h = 40 + rnd.nextInt(200);
            switch (rnd.nextInt(3)) {
                case 0 -> g.fillOval(x - w / 2, y - h / 2, w, h);
                case 1 -> g.fillRect(x - w / 2, y - h / 2, w, h);
                default -> {
                    g.setStroke(new BasicStroke(4 + rnd.nextInt(20)));
                    g.drawLine(x, y, rnd.nextInt(640), rnd.nextInt(480));
                }
            }
        }
        g.dispose();
        return img;
    }

    /** Scaled to {@code factor} of its size with bilinear interpolation. */
    static BufferedImage resize(BufferedImage src, double factor) {
        int w = (int) Math.round(src.getWidth() * factor);
        int h = (int) Math.round(src.getHeight() * factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** {@code fraction} of the width and height cut away, split between the edges. */
    static BufferedImage crop(BufferedImage src, double fraction) {
        int dx = (int) (src.getWidth() * fraction / 2);
        int dy = (int) (src.getHeight() * fraction / 2);
        BufferedImage out = new BufferedImage(src.getWidth() - 2 * dx, src.getHeight() - 2 * dy, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src.getSubimage(dx, dy, out.getWidth(), out.getHeight()), 0, 0, null);
        g.dispose();
        return out;
    }

    /** JPEG bytes at {@code quality} (0..1). */
    static byte[] jpeg(BufferedImage img, float quality) {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    /** PNG bytes. */
    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes image bytes. */
    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
