package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.client.ExchangeClient;
import dev.pouch.client.Outbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pouch sync --dir DIR}: the office agent. Keeps {@code DIR/inbox} current with what the
 * exchange delivers (each document opened, verified and kept with its sealed original), and sends
 * what is dropped into {@code DIR/outbox}, queueing it while the exchange is unreachable.
 */
@Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the office agent on a folder:",
                "  DIR/inbox/<id>/   documents received: files/, the sealed original document.p7m, the receipt returned",
                "  DIR/outbox/       drop a file (or a folder of files) here to send it; a FILE.pouch beside it may set",
                "                    to, cc, subject, number, type, classification, precedence, in-reply-to, deadline",
                "  DIR/outbox/.queue accepted and waiting to be sent (also while the exchange is unreachable)",
                "  DIR/outbox/sent   sent, with sent.properties (id, number, time); DIR/outbox/failed refused, with the reason",
                "Each document is sent under an id fixed when it is accepted, so it reaches the exchange exactly once,",
                "however often the link breaks or the agent restarts. Stop it with Ctrl-C."})
final class SyncCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The agent's folder.")
    Path dir;

    @Option(names = "--to", split = ",", paramLabel = "RECIPIENT",
            description = "Recipients of outbox files that do not name their own (e.g. HQ-EUR).")
    List<String> to = List.of();

    @Option(names = "--poll", paramLabel = "MILLIS", defaultValue = "1000", description = "How often to look at the outbox (default ${DEFAULT-VALUE} ms).")
    long pollMillis;

    @Option(names = "--once", description = "Send what the outbox holds, take what is waiting, then stop (exit 5 if something is still queued).")
    boolean once;

    @Override
    public Integer call() throws InterruptedException {
        var credentials = client.credentials();
        ExchangeClient c = ExchangeClient.builder().credentials(credentials).server(client.host(), client.port())
                .store(dir).timeout(client.timeout()).takesDeliveries(true).build();
        Outbox outbox = new Outbox(dir.resolve("outbox"), c.organization(), to);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            c.close();
            stopped.countDown();
        }, "pouch-sync-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        java.util.concurrent.atomic.AtomicLong activity = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        c.onArrival(e -> {
            activity.set(System.nanoTime());
            say("received  " + e.number() + "  from " + e.sender() + "  \"" + e.subject() + "\"  verified, kept in "
                + e.folder());
        });
        c.onNotice(n -> {
            activity.set(System.nanoTime());
            say("notice    " + n.kind() + "  " + n.documentNumber() + "  from " + n.from() + ": " + n.text());
        });
        say("agent for " + c.organization().value() + " on " + dir.toAbsolutePath() + ", exchange " + client.server);
        boolean wasConnected = false;
        try {
            while (stopped.getCount() > 0) {
                outbox.accept().forEach(q -> say("queued    " + q.source() + " as " + q.number() + " (" + q.id() + ")"));
                boolean connected = c.isConnected();
                if (connected != wasConnected) {
                    if (connected) {
                        c.awaitConnected(); // keeps the exchange's current CRL in DIR for offline checks
                        int receipts = c.sendPendingReceipts();
                        if (receipts > 0) {
                            say("sending   " + receipts + " receipts that had not reached the exchange");
                        }
                    }
                    say(connected ? "connected" : "exchange unreachable; " + outbox.queued().size() + " waiting in the outbox");
                    wasConnected = connected;
                }
                if (connected) {
                    for (Outbox.Queued q : outbox.queued()) {
                        try {
                            ExchangeClient.Sent sent = c.send(q.draft());
                            outbox.sent(q, sent);
                            activity.set(System.nanoTime());
                            say("sent      " + q.number() + " (" + sent.id() + ") to " + sent.recipients().size() + " organizations"
                                    + (sent.duplicate() ? " (the exchange had it already)" : ""));
                        } catch (ClientException e) {
                            if (e.retryable()) {
                                say("waiting   " + q.number() + ": " + e.getMessage() + "; will try again");
                                break;
                            }
                            outbox.failed(q, e);
                            say("refused   " + q.number() + ": error " + e.code().map(k -> k.code() + " " + k.name())
                                    .orElse(e.kind().name()) + ": " + e.getMessage() + " (moved to outbox/failed)");
                        }
                    }
                }
                if (once) {
                    if (!connected) {
                        c.awaitConnected();
                        continue;
                    }
                    if (outbox.queued().isEmpty() && outbox.pending().isEmpty()
                            && System.nanoTime() - activity.get() > Duration.ofSeconds(3).toNanos()) {
                        break;
                    }
                }
                Thread.sleep(pollMillis);
            }
        } catch (ClientException e) {
            if (once && e.kind() == ClientException.Kind.UNREACHABLE) {
                say("exchange unreachable; " + outbox.queued().size() + " still waiting in the outbox");
                return Pouch.UNREACHABLE;
            }
            throw e;
        } finally {
            if (once) {
                Runtime.getRuntime().removeShutdownHook(hook);
                c.close();
            }
        }
        return 0;
    }

    private static synchronized void say(String line) {
        System.out.println(Instant.now().toString().substring(0, 19).replace('T', ' ') + "  " + line);
        System.out.flush();
    }
}
