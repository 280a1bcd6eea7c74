package dev.pouch.server.web.console;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.config.Secrets;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.pki.DemoSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.nio.file.Path;

/**
 * Demo mode with password sign-in: each demo staff member gets a random console password in
 * {@code dataDir/demo/<ORG>-<staff>.console-password} (owner-readable only), and its hash in the
 * database. The password itself is never logged.
 */
@Component
public class DemoPasswords {

    private static final Logger log = LoggerFactory.getLogger(DemoPasswords.class);

    private final Path demoDir;
    private final boolean active;
    private final Environment environment;

    DemoPasswords(PouchProperties properties, ConsoleProperties console, DemoSetup demo, StaffRepository staff,
            StaffPasswords passwords, Environment environment) {
        this.demoDir = properties.dataDir().resolve("demo").toAbsolutePath().normalize();
        this.environment = environment;
        this.active = properties.demo() && console.passwordSignIn(true);
        if (!active) {
            return;
        }
        for (DemoSetup.DemoStaff s : DemoSetup.STAFF) {
            Path file = file(s);
            Password password = Secrets.readOrCreate(file);
            staff.find(OrgCode.of(s.organization()), s.staffId()).ifPresent(member -> {
                if (!passwords.isCurrent(member, password)) {
                    passwords.set(member, password);
                    log.info("Demo console password for {} of {} is in {}", s.staffId(), s.organization(), file);
                }
            });
        }
    }

    /** Once the server is ready, where the console is and where the demo passwords are. */
    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        if (active) {
            log.info("Web console on https://{}:{}/console; demo console passwords in {}", environment.getProperty("server.address",
                    "127.0.0.1"), environment.getProperty("local.server.port", "?"), demoDir.resolve("<ORG>-<staff>.console-password"));
        }
    }

    /** Where a demo staff member's console password is. */
    public Path file(DemoSetup.DemoStaff s) {
        return demoDir.resolve(s.organization() + "-" + s.staffId() + ".console-password");
    }
}
