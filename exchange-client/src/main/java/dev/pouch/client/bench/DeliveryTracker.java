package dev.pouch.client.bench;

import dev.pouch.client.LocalStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What was sent and what arrived where. Every document is registered before it is sent; each
 * office's client reports what it stored. A document is <em>done</em> when every addressed office
 * has stored it and the exchange accepted that office's receipt (the client keeps an accepted
 * receipt beside the document, which a poller watches for). Anything else — a document stored
 * twice, stored by an office it was not addressed to, altered, or missing — is a problem, and
 * {@link #check()} lists it.
 */
final class DeliveryTracker implements AutoCloseable {

    /** Files at most this large are compared with what was sent as they arrive; larger ones at the end. */
    private static final long INLINE_VERIFY_LIMIT = 1 << 20;
    private static final int MAX_LISTED_PROBLEMS = 50;

    /** A document as sent: who from, to whom, and the SHA-256 of its one file. */
    record Expected(UUID id, String number, String sender, Set<String> recipients, byte[] sha256, long bytes) {
    }

    private static final class Doc {
        final Expected expected;
        final long submitNanos;
        volatile long ackNanos;
        volatile long doneNanos;
        final Map<String, Long> stored = new ConcurrentHashMap<>();
        final Map<String, Long> receipted = new ConcurrentHashMap<>();
        final Map<String, Path> files = new ConcurrentHashMap<>();
        final AtomicInteger awaitingReceipts;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Doc(Expected expected, long submitNanos) {
            this.expected = expected;
            this.submitNanos = submitNanos;
            this.awaitingReceipts = new AtomicInteger(expected.recipients().size());
        }
    }

    private record PendingReceipt(String office, BooleanSupplier receiptAccepted, Doc doc) {
    }

    private final String runPrefix;
    private final Map<UUID, Doc> docs = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<PendingReceipt> newlyStored = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong misrouted = new AtomicLong();
    private final AtomicLong corrupted = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong unknownOfThisRun = new AtomicLong();
    private final Thread poller;
    private volatile boolean closed;

    /** {@code runPrefix} starts the number of every document of this run; others arriving are someone else's. */
    DeliveryTracker(String runPrefix) {
        this.runPrefix = runPrefix;
        this.poller = Thread.ofPlatform().daemon().name("bench-receipts").start(this::pollReceipts);
    }

    /** Registers a document just before it is sent; returns the time it counts as submitted. */
    long expect(Expected e) {
        long now = System.nanoTime();
        if (docs.putIfAbsent(e.id(), new Doc(e, now)) != null) {
            throw new IllegalStateException("document " + e.id() + " registered twice");
        }
        return now;
    }

    void acknowledged(UUID id) {
        docs.get(id).ackNanos = System.nanoTime();
    }

    void sendFailed(UUID id, Throwable e) {
        sendFailures.incrementAndGet();
        problem("sending " + id + " failed: " + e);
        Doc d = docs.get(id);
        d.done.completeExceptionally(e);
    }

    /**
     * Called by an office's client for each document it newly stored; {@code receiptAccepted}
     * says whether the exchange has accepted the office's receipt for it yet.
     */
    void arrived(String office, LocalStore.Entry entry, BooleanSupplier receiptAccepted) {
        long now = System.nanoTime();
        Doc d = docs.get(entry.id());
        if (d == null) {
            if (entry.number() != null && entry.number().startsWith(runPrefix)) {
                unknownOfThisRun.incrementAndGet();
                problem(office + " stored " + entry.id() + " (" + entry.number() + "), which this run never sent");
            } else {
                foreign.incrementAndGet(); // left over from an earlier run, or a real document: not ours to judge
            }
            return;
        }
        if (!d.expected.recipients().contains(office)) {
            misrouted.incrementAndGet();
            problem(office + " stored " + entry.id() + ", which was not addressed to it");
            return;
        }
        if (d.stored.putIfAbsent(office, now) != null) {
            duplicates.incrementAndGet();
            problem(office + " stored " + entry.id() + " a second time");
            return;
        }
        if (!d.expected.sender().equals(entry.sender()) || !d.expected.number().equals(entry.number()) || entry.files().size() != 1) {
            corrupted.incrementAndGet();
            problem(office + " stored " + entry.id() + " as from " + entry.sender() + ", number " + entry.number() + ", "
                    + entry.files().size() + " files");
        } else if (d.expected.bytes() <= INLINE_VERIFY_LIMIT) {
            verifyContent(office, d, entry.files().getFirst());
        } else {
            d.files.put(office, entry.files().getFirst());
        }
        newlyStored.add(new PendingReceipt(office, receiptAccepted, d));
    }

    /** Compares the large files kept for later with what was sent (after the timed part of a run). */
    void verifyDeferredContents() {
        for (Doc d : docs.values()) {
            d.files.forEach((office, file) -> verifyContent(office, d, file));
            d.files.clear();
        }
    }

    private void verifyContent(String office, Doc d, Path file) {
        try {
            if (!Arrays.equals(sha256(file), d.expected.sha256())) {
                corrupted.incrementAndGet();
                problem(office + " stored " + d.expected.id() + " with content that differs from what was sent");
            }
        } catch (IOException e) {
            corrupted.incrementAndGet();
            problem(office + " stored " + d.expected.id() + " but its file cannot be read: " + e);
        }
    }

    private void pollReceipts() {
        List<PendingReceipt> pending = new ArrayList<>();
        while (!closed) {
            for (PendingReceipt p; (p = newlyStored.poll()) != null; ) {
                pending.add(p);
            }
            for (Iterator<PendingReceipt> it = pending.iterator(); it.hasNext(); ) {
                PendingReceipt p = it.next();
                if (p.receiptAccepted().getAsBoolean()) {
                    long now = System.nanoTime();
                    p.doc().receipted.put(p.office(), now);
                    if (p.doc().awaitingReceipts.decrementAndGet() == 0) {
                        p.doc().doneNanos = now;
                        p.doc().done.complete(null);
                    }
                    it.remove();
                }
            }
            try {
                Thread.sleep(pending.isEmpty() ? 10 : 2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until the documents are done (or their sending failed); false if {@code timeout} passed first. */
    boolean awaitDone(Collection<UUID> ids, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (UUID id : ids) {
            try {
                docs.get(id).done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                // a failed send, already listed as a problem
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Submit → SubmitAck of each document sent successfully. */
    long[] ackLatencies(Collection<UUID> ids) {
        return ids.stream().map(docs::get).filter(d -> d.ackNanos != 0).mapToLong(d -> d.ackNanos - d.submitNanos).toArray();
    }

    /** Submit → stored at the last of its offices, for documents stored by all. */
    long[] deliveredLatencies(Collection<UUID> ids) {
        return ids.stream().map(docs::get).filter(d -> d.stored.size() == d.expected.recipients().size())
                .mapToLong(d -> d.stored.values().stream().mapToLong(Long::longValue).max().orElseThrow() - d.submitNanos).toArray();
    }

    /** Submit → stored, for every office that stored each document (a broadcast's spread). */
    long[] storedLatenciesPerOffice(Collection<UUID> ids) {
        return ids.stream().map(docs::get).flatMapToLong(d -> d.stored.values().stream().mapToLong(t -> t - d.submitNanos)).toArray();
    }

    /** Submit → done (stored everywhere, all receipts accepted). */
    long[] doneLatencies(Collection<UUID> ids) {
        return ids.stream().map(docs::get).filter(d -> d.doneNanos != 0).mapToLong(d -> d.doneNanos - d.submitNanos).toArray();
    }

    /** The moment the last of these documents was done (0 if none was). */
    long lastDone(Collection<UUID> ids) {
        return ids.stream().map(docs::get).mapToLong(d -> d.doneNanos).max().orElse(0);
    }

    long submittedAt(UUID id) {
        return docs.get(id).submitNanos;
    }

    long doneCount(Collection<UUID> ids) {
        return ids.stream().map(docs::get).filter(d -> d.doneNanos != 0).count();
    }

    /**
     * The verdict over everything registered: each document stored exactly once by each office it
     * was addressed to, nowhere else, unaltered, with each receipt accepted; and each office's
     * inbox ({@code inboxes}: the ids each office's store holds) holding exactly the documents of
     * this run it was sent.
     */
    Check check(Map<String, ? extends Collection<UUID>> inboxes) {
        long expectedDeliveries = 0;
        long stored = 0;
        long receipted = 0;
        long missing = 0;
        long missingReceipts = 0;
        for (Doc d : docs.values()) {
            if (d.done.isCompletedExceptionally()) {
                continue;
            }
            expectedDeliveries += d.expected.recipients().size();
            stored += d.stored.size();
            receipted += d.receipted.size();
            for (String office : d.expected.recipients()) {
                if (!d.stored.containsKey(office)) {
                    missing++;
                    problem(office + " never stored " + d.expected.id());
                } else if (!d.receipted.containsKey(office)) {
                    missingReceipts++;
                    problem("the receipt of " + office + " for " + d.expected.id() + " was not accepted");
                }
            }
        }
        long onDisk = 0;
        for (Map.Entry<String, ? extends Collection<UUID>> o : inboxes.entrySet()) {
            for (UUID id : o.getValue()) {
                Doc d = docs.get(id);
                if (d != null) {
                    onDisk++;
                    if (!d.stored.containsKey(o.getKey())) {
                        misrouted.incrementAndGet();
                        problem(o.getKey() + "'s inbox holds " + id + " but its client never reported it");
                    }
                }
            }
        }
        return new Check(docs.size(), expectedDeliveries, stored, receipted, onDisk, duplicates.get(), misrouted.get(),
                corrupted.get(), missing, missingReceipts, sendFailures.get() + unknownOfThisRun.get(), foreign.get(),
                problems.stream().limit(MAX_LISTED_PROBLEMS).toList());
    }

    private void problem(String text) {
        if (problems.size() < MAX_LISTED_PROBLEMS * 2) {
            problems.add(text);
        }
    }

    static byte[] sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }
}
