package dev.pouch.crypto.document;

import java.util.Arrays;
import java.util.Optional;

/**
 * Classification (密级). The exchange is accredited up to a configured ceiling (by default
 * {@link #INTERNAL}); the higher levels exist so that they can be recognised and refused.
 *
 * <p>The order follows the Chinese scale: 秘密 &lt; 机密 &lt; 绝密. {@link #labelValue()} is the
 * integer carried in the ESS security label under the Pouch security policy.
 */
public enum Classification {
    PUBLIC(1, "公开"),
    INTERNAL(2, "内部"),
    SECRET(3, "秘密"),
    CONFIDENTIAL(4, "机密"),
    TOP_SECRET(5, "绝密");

    private final int labelValue;
    private final String chineseName;

    Classification(int labelValue, String chineseName) {
        this.labelValue = labelValue;
        this.chineseName = chineseName;
    }

    /** The security-classification value in the ESS security label. */
    public int labelValue() {
        return labelValue;
    }

    public String chineseName() {
        return chineseName;
    }

    /** True when this level does not exceed {@code ceiling}. */
    public boolean isWithin(Classification ceiling) {
        return labelValue <= ceiling.labelValue;
    }

    public static Optional<Classification> fromLabelValue(int value) {
        return Arrays.stream(values()).filter(c -> c.labelValue == value).findFirst();
    }
}
