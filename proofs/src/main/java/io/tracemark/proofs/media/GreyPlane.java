package io.tracemark.proofs.media;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * An image's 8-bit grey levels as Pillow's {@code convert("L")} gives them: for colour,
 * {@code L = (R·19595 + G·38470 + B·7471 + 32768) >> 16} (ITU-R BT.601 weights in 16-bit fixed
 * point, Pillow's {@code Convert.c}), alpha ignored; grey images keep their stored levels (16-bit
 * ones their high byte).
 */
final class GreyPlane {
    private GreyPlane() {
    }

    /** The image's grey levels, 0..255, row by row. */
    static LanczosResampler.Rows rows(BufferedImage image) {
        int w = image.getWidth();
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof IndexColorModel) && cm.getNumColorComponents() == 1) {
            // getRGB would map grey through the linear-grey colour space to sRGB, changing the levels.
            Raster raster = image.getRaster();
            int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
            return (y, into) -> {
                raster.getSamples(0, y, w, 1, 0, into);
                for (int x = 0; x < w; x++) {
                    into[x] >>>= shift;
                }
            };
        }
        int[] rgb = new int[w];
        return (y, into) -> {
            image.getRGB(0, y, w, 1, rgb, 0, w);
            for (int x = 0; x < w; x++) {
                into[x] = luma(rgb[x]);
            }
        };
    }

    /** Pillow's RGB → L. */
    static int luma(int rgb) {
        return (((rgb >> 16) & 0xff) * 19595 + ((rgb >> 8) & 0xff) * 38470 + (rgb & 0xff) * 7471 + 0x8000) >> 16;
    }
}
