package dev.pouch.crypto;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The moment at which certificates are judged: now, or a time the exchange itself recorded.
 *
 * <p>Security guarantees: there is deliberately no way to build one from a signing time claimed
 * inside a document; a signer cannot choose the moment its own certificate is judged at.
 */
public sealed interface ValidationTime {

    /** Resolves to an instant using the validator's clock for {@link Now}. */
    Instant resolve(Clock clock);

    /** Judge at the validator's current time. */
    static ValidationTime now() {
        return Now.INSTANCE;
    }

    /**
     * Judge at a time the exchange recorded itself (for instance when it accepted a submission),
     * never at one read from the document.
     */
    static ValidationTime recordedByExchange(Instant instant) {
        return new Recorded(instant);
    }

    /** The current time. */
    enum Now implements ValidationTime {
        INSTANCE;

        @Override
        public Instant resolve(Clock clock) {
            return clock.instant();
        }
    }

    /** A time the exchange recorded. */
    record Recorded(Instant instant) implements ValidationTime {
        public Recorded {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public Instant resolve(Clock clock) {
            return instant;
        }
    }
}
