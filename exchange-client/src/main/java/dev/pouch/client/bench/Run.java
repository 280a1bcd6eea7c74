package dev.pouch.client.bench;

import dev.pouch.client.Draft;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** What every scenario of one bench run shares: the clients, the tracker, the meters, and how to send a document. */
record Run(Fleet fleet, DeliveryTracker tracker, String prefix, Duration timeout, CpuMeter cpu, ServerMetrics server,
        PrintWriter log, AtomicLong sequence) {

    /** A document ready to send: its draft and what its recipients must receive. */
    record Outgoing(Draft draft, DeliveryTracker.Expected expected, Path file) {
    }

    /** A text notice of {@code size} bytes from {@code sender} to {@code recipients}, written to the sender's draft folder. */
    Outgoing notice(Fleet.Sender sender, List<String> recipients, int size, SplittableRandom random, String kind) {
        return prepare(sender, recipients, size, kind, ".txt", file -> {
            try {
                return Content.notice(file, file.getFileName().toString(), size, random);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A CSV statistics file of {@code size} bytes. */
    Outgoing statistics(Fleet.Sender sender, List<String> recipients, long size, SplittableRandom random) {
        return prepare(sender, recipients, size, "large", ".csv", file -> {
            try {
                return Content.statistics(file, size, random);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private Outgoing prepare(Fleet.Sender sender, List<String> recipients, long size, String kind, String extension,
            Function<Path, byte[]> write) {
        UUID id = UUID.randomUUID();
        long n = sequence.incrementAndGet();
        String number = prefix + "-" + kind + "-" + n;
        Path file = sender.outbox().resolve(id + extension);
        byte[] sha256 = write.apply(file);
        Draft draft = Draft.builder().id(id).number(number).subject("Bench " + kind + " " + n).to(recipients).file(file).build();
        return new Outgoing(draft, new DeliveryTracker.Expected(id, number, sender.organization(), Set.copyOf(recipients), sha256, size),
                file);
    }

    /**
     * Sends the document as its drafter would (seal, upload, submit): registered with the tracker
     * first, since an office may store it before the sender hears the exchange's answer. False if
     * the exchange refused it or could not be reached (a problem the tracker lists).
     */
    boolean send(Fleet.Sender sender, Outgoing o) {
        tracker.expect(o.expected());
        try {
            sender.client().send(o.draft());
            tracker.acknowledged(o.expected().id());
            return true;
        } catch (RuntimeException e) {
            tracker.sendFailed(o.expected().id(), e);
            return false;
        } finally {
            try {
                Files.deleteIfExists(o.file());
            } catch (IOException e) {
                // a draft left in the work folder, deleted with it
            }
        }
    }

    void progress(String format, Object... args) {
        log.printf(java.util.Locale.ROOT, format + "%n", args);
        log.flush();
    }
}
