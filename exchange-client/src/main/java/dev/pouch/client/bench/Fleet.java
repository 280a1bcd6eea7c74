package dev.pouch.client.bench;

import dev.pouch.client.ExchangeClient;
import dev.pouch.client.LocalStore;
import dev.pouch.crypto.pki.Credentials;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The simulated organizations, all in this JVM: one {@link ExchangeClient} per office, taking
 * its deliveries into its own store (as the office's sync agent would), and one per HQ sender,
 * sending only. Each office client tells the {@link DeliveryTracker} what it stored.
 */
final class Fleet implements AutoCloseable {

    /** An HQ department that sends, with a folder for the files of its drafts. */
    record Sender(String organization, ExchangeClient client, Path outbox) {
    }

    private final Map<String, ExchangeClient> offices = new LinkedHashMap<>();
    private final Map<String, LocalStore> stores = new LinkedHashMap<>();
    private final List<Sender> senders = new ArrayList<>();

    private Fleet() {
    }

    static Fleet connect(Map<String, Credentials> credentials, List<String> officeCodes, List<String> senderCodes, String host,
            int port, Path workDir, DeliveryTracker tracker, Duration timeout) {
        Fleet fleet = new Fleet();
        try {
            for (String code : officeCodes) {
                ExchangeClient c = ExchangeClient.builder().credentials(credentials.get(code)).server(host, port)
                        .store(workDir.resolve("offices").resolve(code)).timeout(timeout).takesDeliveries(true).build();
                LocalStore store = c.store();
                c.onArrival(entry -> tracker.arrived(code, entry, () -> store.hasReceipt(entry.id())));
                fleet.offices.put(code, c);
                fleet.stores.put(code, store);
            }
            for (String code : senderCodes) {
                ExchangeClient c = ExchangeClient.builder().credentials(credentials.get(code)).server(host, port)
                        .store(workDir.resolve("senders").resolve(code)).timeout(timeout).takesDeliveries(false).build();
                fleet.senders.add(new Sender(code, c, workDir.resolve("drafts").resolve(code)));
            }
            fleet.offices.values().forEach(ExchangeClient::awaitConnected);
            fleet.senders.forEach(s -> s.client().awaitConnected());
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** The documents each office's store holds, by office. */
    Map<String, List<UUID>> inboxes() {
        Map<String, List<UUID>> out = new LinkedHashMap<>();
        stores.forEach((code, store) -> out.put(code, store.list().stream().map(LocalStore.Entry::id).toList()));
        return out;
    }

    List<String> officeCodes() {
        return List.copyOf(offices.keySet());
    }

    List<Sender> senders() {
        return Collections.unmodifiableList(senders);
    }

    /** Closes every client, many at once (each waits for its connection to close). */
    @Override
    public void close() {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        offices.values().forEach(c -> pool.execute(c::close));
        senders.forEach(s -> pool.execute(() -> s.client().close()));
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
