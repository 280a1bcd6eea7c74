package dev.pouch.crypto.document;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An organization code such as {@code HQ-EUR} or {@code FR-EMB}: two capital letters, a hyphen,
 * and two to eight capital letters or digits.
 */
public record OrgCode(String value) implements Comparable<OrgCode> {

    private static final Pattern FORMAT = Pattern.compile("[A-Z]{2}-[A-Z0-9]{2,8}");

    public OrgCode {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new CryptoException(CryptoError.INVALID_REQUEST,
                    "not an organization code: '" + printable(value) + "'");
        }
    }

    public static OrgCode of(String value) {
        return new OrgCode(value);
    }

    /** True when the string is a well-formed code. */
    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public int compareTo(OrgCode o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
