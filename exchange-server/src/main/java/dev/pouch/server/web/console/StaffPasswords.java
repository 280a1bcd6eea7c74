package dev.pouch.server.web.console;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console passwords: hashes in {@code staff_password}, the check at sign-in, and a lock-out after
 * repeated failures (per staff member, in this node's memory). Every failure looks the same to the
 * person signing in — unknown staff, wrong password, locked out — and the check costs the same
 * hashing time whether or not the staff member exists.
 */
@Component
class StaffPasswords {

    private static final String DUMMY = PasswordHash.of(Password.of("not-a-password"));

    private final JdbcTemplate jdbc;
    private final StaffRepository staff;
    private final ConsoleProperties properties;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    StaffPasswords(JdbcTemplate jdbc, StaffRepository staff, ConsoleProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.staff = staff;
        this.properties = properties;
        this.clock = clock;
    }

    /** Sets (or replaces) a staff member's console password. */
    void set(Staff member, Password password) {
        jdbc.update("""
                INSERT INTO staff_password (staff, hash) VALUES (?, ?)
                ON CONFLICT (staff) DO UPDATE SET hash = EXCLUDED.hash, updated_at = now()""", member.id(), PasswordHash.of(password));
    }

    /** Whether {@code password} is the member's current one (for keeping demo passwords in step with their files). */
    boolean isCurrent(Staff member, Password password) {
        return hash(member.id()).map(h -> PasswordHash.matches(password, h)).orElse(false);
    }

    /** The active staff member these credentials belong to; SIGN_IN_FAILED otherwise. */
    Staff check(String organization, String staffId, Password password) {
        String key = organization + "/" + staffId;
        if (lockedOut(key)) {
            PasswordHash.matches(password, DUMMY);
            throw new ProtocolException(ErrorCode.SIGN_IN_FAILED, "too many failed sign-ins; wait "
                    + properties.lockout().toMinutes() + " minutes");
        }
        Optional<Staff> member = OrgCode.isValid(organization)
                ? staff.find(OrgCode.of(organization), staffId).filter(Staff::active) : Optional.empty();
        String stored = member.flatMap(m -> hash(m.id())).orElse(DUMMY);
        boolean ok = PasswordHash.matches(password, stored) && member.isPresent() && !stored.equals(DUMMY);
        if (!ok) {
            failed(key);
            throw new ProtocolException(ErrorCode.SIGN_IN_FAILED, "");
        }
        failures.remove(key);
        return member.get();
    }

    private Optional<String> hash(long staffPk) {
        return jdbc.queryForList("SELECT hash FROM staff_password WHERE staff = ?", String.class, staffPk).stream().findFirst();
    }

    private boolean lockedOut(String key) {
        Deque<Instant> recent = failures.get(key);
        if (recent == null) {
            return false;
        }
        synchronized (recent) {
            prune(recent);
            return recent.size() >= properties.maxFailedSignIns();
        }
    }

    private void failed(String key) {
        if (failures.size() > 100_000) {
            failures.clear(); // bounded memory against sign-ins with made-up names
        }
        Deque<Instant> recent = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (recent) {
            prune(recent);
            recent.addLast(clock.instant());
        }
    }

    private void prune(Deque<Instant> recent) {
        Instant since = clock.instant().minus(properties.lockout());
        while (!recent.isEmpty() && recent.peekFirst().isBefore(since)) {
            recent.removeFirst();
        }
    }
}
