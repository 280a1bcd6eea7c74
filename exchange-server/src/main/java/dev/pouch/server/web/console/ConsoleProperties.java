package dev.pouch.server.web.console;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The web console's settings ({@code pouch.console.*}).
 *
 * @param passwordSignIn   whether staff may sign in with a password; unset: only in demo mode
 *                         ({@code pouch.demo}). Certificate sign-in is always offered.
 * @param maxFailedSignIns failed password sign-ins of one staff member before a lock-out
 * @param lockout          how long that lock-out lasts, and the window the failures are counted in
 */
@ConfigurationProperties(prefix = "pouch.console")
@Validated
public record ConsoleProperties(
        Boolean passwordSignIn,
        @Min(1) @Max(100) @DefaultValue("5") int maxFailedSignIns,
        @NotNull @DefaultValue("15m") Duration lockout) {

    /** Whether password sign-in is on, given whether the server runs in demo mode. */
    public boolean passwordSignIn(boolean demo) {
        return passwordSignIn == null ? demo : passwordSignIn;
    }
}
