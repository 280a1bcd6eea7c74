package dev.pouch.crypto.document;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file carried by a document. A document's content is its attachments concatenated in
 * order; the signed header lists each one's name, declared media type and size, so the content
 * splits back into files exactly.
 */
public record Attachment(String name, String mediaType, long size) {

    public static final int MAX_NAME_LENGTH = 255;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");

    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.equals(".") || name.equals("..")
                || name.contains("/") || name.contains("\\") || name.chars().anyMatch(Character::isISOControl)) {
            throw new CryptoException(CryptoError.INVALID_REQUEST,
                    "attachment name must be a plain file name of 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!MEDIA_TYPE.matcher(mediaType).matches() || mediaType.length() > 127) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "not a media type: " + mediaType);
        }
        if (size < 0) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "negative attachment size");
        }
    }
}
