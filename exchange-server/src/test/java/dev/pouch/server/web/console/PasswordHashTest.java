package dev.pouch.server.web.console;

import dev.pouch.crypto.Password;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashTest {

    @Test
    void theRightPassword_matches_andAnyOtherDoesNot() {
        String stored = PasswordHash.of(Password.of("月底前报送 report"));
        assertThat(stored).startsWith("pbkdf2-sha512$210000$").doesNotContain("月底前");
        assertThat(PasswordHash.matches(Password.of("月底前报送 report"), stored)).isTrue();
        assertThat(PasswordHash.matches(Password.of("月底前报送 Report"), stored)).isFalse();
    }

    @Test
    void theSamePassword_hashesDifferently_eachTime() {
        assertThat(PasswordHash.of(Password.of("same"))).isNotEqualTo(PasswordHash.of(Password.of("same")));
    }

    @Test
    void malformedStoredHashes_matchNothing() {
        Password p = Password.of("x");
        assertThat(PasswordHash.matches(p, null)).isFalse();
        assertThat(PasswordHash.matches(p, "")).isFalse();
        assertThat(PasswordHash.matches(p, "md5$1$AA==$AA==")).isFalse();
        assertThat(PasswordHash.matches(p, "pbkdf2-sha512$notanumber$AA==$AA==")).isFalse();
        assertThat(PasswordHash.matches(p, "pbkdf2-sha512$1$***$AA==")).isFalse();
    }
}
