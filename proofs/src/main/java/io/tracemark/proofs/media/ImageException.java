package io.tracemark.proofs.media;

/** Why an image file could not be hashed, with a stable machine-readable code such as {@code image.too-large}. */
public final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;

    /** An exception with a stable code and a human-readable message. */
    public ImageException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The stable code, e.g. {@code image.undecodable}. */
    public String code() {
        return code;
    }
}
