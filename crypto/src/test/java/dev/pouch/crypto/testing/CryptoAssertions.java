package dev.pouch.crypto.testing;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Asserts that an operation fails with one specific {@link CryptoError}. */
public final class CryptoAssertions {

    private CryptoAssertions() {
    }

    public static CryptoException assertFailsWith(CryptoError expected, ThrowableAssert.ThrowingCallable operation) {
        Throwable thrown = catchThrowable(operation);
        assertThat(thrown).as("expected %s", expected).isInstanceOf(CryptoException.class);
        CryptoException e = (CryptoException) thrown;
        assertThat(e.error()).as(e.getMessage()).isEqualTo(expected);
        return e;
    }
}
