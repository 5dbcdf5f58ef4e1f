#!/usr/bin/env python3
"""Regenerates the pHash test vectors for io.tracemark.proofs.media.PerceptualHash.

Writes deterministic test images next to this script, then records each image's 64-bit DCT pHash
as computed by the reference, Python ``imagehash.phash`` (hash_size=8, highfreq_factor=4), in
``vectors.tsv``, and Pillow's 32x32 grey planes of the lossless images in ``planes.tsv``. When the ``imagehash`` package is not installed (Debian has no package for it),
``reference_phash`` below computes the same thing with the same Pillow and SciPy calls that
``imagehash.phash`` makes, so either way the bits come from Pillow's own decoders, grey
conversion and Lanczos resampler.

    apt-get install -y python3-pil python3-scipy python3-numpy
    /usr/bin/python3 proofs/src/test/resources/phash/generate.py            # hash the checked-in images
    /usr/bin/python3 proofs/src/test/resources/phash/generate.py --images   # redraw the images first
"""
import os
import sys

import numpy
import PIL
import scipy
import scipy.fftpack
from PIL import Image, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))

try:
    import imagehash
except ImportError:
    imagehash = None


def reference_phash(image):
    """imagehash.phash: grey, Lanczos to 32x32, 2-D DCT-II, 8x8 lowest frequencies above their median."""
    pixels = numpy.asarray(image.convert("L").resize((32, 32), Image.Resampling.LANCZOS))
    dct = scipy.fftpack.dct(scipy.fftpack.dct(pixels, axis=0), axis=1)
    low = dct[:8, :8]
    bits = (low > numpy.median(low)).flatten()
    return "%016x" % int("".join("1" if b else "0" for b in bits), 2)


def phash_hex(image):
    return str(imagehash.phash(image)) if imagehash is not None else reference_phash(image)


def photo_like(seed, w, h):
    """Smooth random colour fields plus fine grain: broad structure like a photo, fixed by the seed."""
    rnd = numpy.random.RandomState(seed)
    coarse = Image.fromarray(rnd.randint(0, 256, (6, 8, 3), dtype=numpy.uint8), "RGB")
    img = coarse.resize((w, h), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(10):
        x, y = int(rnd.randint(0, w)), int(rnd.randint(0, h))
        r = int(rnd.randint(w // 20, w // 5))
        colour = tuple(int(c) for c in rnd.randint(0, 256, 3))
        if rnd.randint(2):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(1.5))
    grain = rnd.randint(-12, 13, (h, w, 3))
    return Image.fromarray(numpy.clip(numpy.asarray(img, dtype=numpy.int16) + grain, 0, 255).astype(numpy.uint8), "RGB")


def draw_images():
    x = numpy.arange(256, dtype=numpy.uint16)
    y = numpy.arange(192, dtype=numpy.uint16)[:, None]
    gradient = numpy.stack([numpy.broadcast_to(x, (192, 256)), numpy.broadcast_to(y * 4 // 3, (192, 256)),
                            numpy.broadcast_to((x + y) // 2, (192, 256))], axis=2).astype(numpy.uint8)
    Image.fromarray(gradient, "RGB").save(os.path.join(HERE, "gradient.png"))

    # Squares that neither divide the frame evenly nor sit symmetrically in it: a symmetric pattern
    # zeroes DCT coefficients, which then tie at the median and take their bits from rounding noise.
    yy, xx = numpy.mgrid[0:157, 0:211]
    light = ((((xx + 2) // 13) + ((yy + 7) // 13)) % 2 == 1)[:, :, None]
    Image.fromarray(numpy.where(light, numpy.uint8([230, 200, 40]), numpy.uint8([20, 40, 160])), "RGB").save(
        os.path.join(HERE, "checker.png"))

    photo = photo_like(7, 320, 240)
    photo.save(os.path.join(HERE, "photo.png"))
    photo.save(os.path.join(HERE, "photo-q85.jpg"), quality=85)
    photo.resize((160, 120), Image.Resampling.BICUBIC).save(os.path.join(HERE, "photo-half.png"))
    photo.resize((200, 150), Image.Resampling.BILINEAR).save(os.path.join(HERE, "photo-small-q40.jpg"), quality=40)
    photo.convert("L").save(os.path.join(HERE, "photo-grey.png"))
    photo.convert("L").save(os.path.join(HERE, "photo-grey-q80.jpg"), quality=80)
    photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(os.path.join(HERE, "photo-palette.png"))
    photo.save(os.path.join(HERE, "photo-lossless.webp"), lossless=True)
    photo.save(os.path.join(HERE, "photo-q80.webp"), quality=80)

    rnd = numpy.random.RandomState(3)
    Image.fromarray(rnd.randint(0, 256, (61, 97, 3), dtype=numpy.uint8), "RGB").save(os.path.join(HERE, "noise.png"))
    yy, xx = numpy.mgrid[0:203, 0:301]
    stripes = 127.5 + 127.5 * numpy.sin((xx * 0.8 + yy * 0.45) * 2 * numpy.pi / 9.3)
    Image.fromarray(stripes.astype(numpy.uint8), "L").save(os.path.join(HERE, "stripes.png"))
    for seed in (21, 22, 23, 24):
        photo_like(seed, 640, 480).save(os.path.join(HERE, "scene-%d-q75.jpg" % seed), quality=75)
    # Lossy WebP whose decoders disagree (TwelveMonkeys vs libwebp): the Java side is off by a few bits.
    photo_like(23, 640, 480).save(os.path.join(HERE, "scene-23-q70.webp"), quality=70)
    photo_like(25, 1600, 1200).save(os.path.join(HERE, "scene-25-large-q60.jpg"), quality=60)

    other = photo_like(11, 300, 300)
    other.save(os.path.join(HERE, "other.png"))
    other.save(os.path.join(HERE, "other-q50.webp"), quality=50)
    rgba = other.convert("RGBA")
    rgba.putalpha(Image.fromarray(numpy.tile(numpy.arange(300, dtype=numpy.uint8)[None, :] // 2 + 100, (300, 1)), "L"))
    rgba.save(os.path.join(HERE, "other-alpha.png"))
    other.resize((32, 32), Image.Resampling.BOX).save(os.path.join(HERE, "other-32.png"))
    other.resize((21, 13), Image.Resampling.BOX).save(os.path.join(HERE, "other-tiny.png"))
    other.resize((40, 400), Image.Resampling.BILINEAR).save(os.path.join(HERE, "other-tall.png"))


def write_planes():
    """Pillow's 32x32 grey plane for the lossless images, to check the resampler pixel by pixel."""
    with open(os.path.join(HERE, "planes.tsv"), "w") as out:
        out.write("# file\tPillow %s convert('L').resize((32, 32), LANCZOS), 1024 bytes row-major in hex\n" % PIL.__version__)
        for name in PLANES:
            with Image.open(os.path.join(HERE, name)) as img:
                plane = img.convert("L").resize((32, 32), Image.Resampling.LANCZOS)
                out.write("%s\t%s\n" % (name, numpy.asarray(plane, dtype=numpy.uint8).tobytes().hex()))


PLANES = ("gradient.png", "noise.png", "stripes.png", "other.png", "other-tall.png", "other-tiny.png", "photo-palette.png")


def main():
    if "--images" in sys.argv[1:]:
        draw_images()
    names = sorted(n for n in os.listdir(HERE) if n.rsplit(".", 1)[-1] in ("png", "jpg", "webp"))
    reference = ("imagehash %s" % imagehash.__version__) if imagehash is not None else "reference_phash (imagehash.phash's calls)"
    with open(os.path.join(HERE, "vectors.tsv"), "w") as out:
        out.write("# file\tphash: %s, Pillow %s, SciPy %s, NumPy %s\n"
                  % (reference, PIL.__version__, scipy.__version__, numpy.__version__))
        out.write("# regenerate: /usr/bin/python3 proofs/src/test/resources/phash/generate.py [--images]\n")
        for name in names:
            with Image.open(os.path.join(HERE, name)) as img:
                out.write("%s\t%s\n" % (name, phash_hex(img)))
    write_planes()


if __name__ == "__main__":
    main()
