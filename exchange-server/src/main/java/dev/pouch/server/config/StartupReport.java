package dev.pouch.server.config;

import dev.pouch.server.pki.DemoSetup;
import dev.pouch.server.transport.ExchangeEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.util.stream.Collectors;

/** Says, once the server is ready, where to reach it and — in demo mode — where the demo credentials are. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final PouchProperties properties;
    private final ExchangeEndpoint endpoint;
    private final DemoSetup demo;
    private final Environment environment;

    StartupReport(PouchProperties properties, ExchangeEndpoint endpoint, DemoSetup demo, Environment environment) {
        this.properties = properties;
        this.endpoint = endpoint;
        this.demo = demo;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        String https = environment.getProperty("server.address", "127.0.0.1") + ":" + environment.getProperty("local.server.port", "?");
        StringBuilder b = new StringBuilder("Pouch exchange ready: exchange protocol on ")
                .append(properties.exchange().host()).append(':').append(endpoint.port())
                .append(", REST and health on https://").append(https)
                .append(", data in ").append(properties.dataDir().toAbsolutePath().normalize());
        if (properties.demo()) {
            b.append(DemoSetup.STAFF.stream().filter(s -> Files.exists(demo.credentialFile(s)))
                    .map(s -> "\n  demo " + s.organization() + " " + s.staffId() + " " + s.roles() + ": " + demo.credentialFile(s)
                            + " (password in " + demo.passwordFile(s).getFileName() + " beside it)")
                    .collect(Collectors.joining("", "\n  demo credentials (PKCS#12):", "")));
            b.append("\n  for curl: --cacert ").append(properties.dataDir().resolve("pki/exchange-root.pem").toAbsolutePath().normalize())
                    .append(" and the -tls.crt / -tls.key files beside each credential (key password: the same)");
        }
        log.info("{}", b);
    }
}
