package dev.pouch.client;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.seal.CmsSealer;
import dev.pouch.protocol.message.Submit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sends a folder as one batch: every regular file (sorted by name, hidden ones skipped) becomes
 * one document with the batch's shared metadata, its own id and its own number. Everything that
 * can be checked is checked before anything is sent — the folder, each file's size and name,
 * the numbers, the recipients (looked up once) — then the plan is written to the
 * {@link BatchJournal} and the documents go out, a few at a time, each acknowledgement recorded
 * as it comes. Run again with the same request, it resumes: nothing acknowledged is sent again.
 */
public final class BatchSender {

    /** Largest file a batch carries: what is sealed in one piece. Larger files go on their own ({@code pouch send}). */
    public static final long MAX_FILE_BYTES = CmsSealer.DEFAULT_INLINE_LIMIT;
    public static final int DEFAULT_IN_FLIGHT = 6;
    public static final int MAX_IN_FLIGHT = 16;

    /** What a batch needs of the exchange: recipients looked up once, and documents sent one by one. */
    public interface Exchange {
        ExchangeClient.Addressees address(List<String> to, List<String> cc);

        ExchangeClient.Sent send(Draft draft, ExchangeClient.Addressees addressees, Submit.Batch batch);
    }

    /** Told how the batch advances (called from the sending threads). */
    public interface Listener {
        /** The plan is on disk: {@code pending} of its documents are to be sent now. */
        default void planned(BatchJournal journal, boolean resumed, int pending) {
        }

        /** One more document acknowledged. */
        default void acknowledged(BatchJournal.Entry entry, ExchangeClient.Sent sent, int acknowledged, int size) {
        }
    }

    /** How a run ended: the batch, how much of it was acknowledged before and now, and how many the exchange already had. */
    public record Result(UUID batchId, int size, int acknowledgedBefore, int sentNow, int duplicates, boolean resumed,
            Duration elapsed, Path journal, List<String> recipients) {
    }

    private final Path storeRoot;
    private final OrgCode sender;
    private final Exchange exchange;
    private final int inFlight;
    private final Clock clock;
    private volatile Listener listener = new Listener() { };

    public BatchSender(Path storeRoot, OrgCode sender, Exchange exchange, int inFlight, Clock clock) {
        this.storeRoot = Objects.requireNonNull(storeRoot);
        this.sender = Objects.requireNonNull(sender);
        this.exchange = Objects.requireNonNull(exchange);
        if (inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "documents in flight: from 1 to " + MAX_IN_FLIGHT);
        }
        this.inFlight = inFlight;
        this.clock = clock;
    }

    /** A batch sender over a connected client (its store keeps the journals). */
    public static BatchSender of(ExchangeClient client, int inFlight) {
        return new BatchSender(client.store().root(), client.organization(), new Exchange() {
            @Override
            public ExchangeClient.Addressees address(List<String> to, List<String> cc) {
                return client.address(to, cc);
            }

            @Override
            public ExchangeClient.Sent send(Draft draft, ExchangeClient.Addressees addressees, Submit.Batch batch) {
                return client.send(draft, addressees, Optional.of(batch));
            }
        }, inFlight, Clock.systemUTC());
    }

    public BatchSender listener(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /**
     * The files a folder sends as a batch: its regular files, sorted by name, without hidden ones
     * (names starting with a dot) and without sub-folders. Refuses a folder with none, more than
     * a batch holds, or a file over {@link #MAX_FILE_BYTES}.
     */
    public static List<Path> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "no folder at " + folder);
        }
        List<Path> files;
        try (Stream<Path> all = Files.list(folder)) {
            files = all.filter(p -> !p.getFileName().toString().startsWith(".")).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, folder + " holds no files to send"
                    + " (hidden files and sub-folders are not sent)");
        }
        if (files.size() > Submit.Batch.MAX_SIZE) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, folder + " holds " + files.size()
                    + " files; a batch holds at most " + Submit.Batch.MAX_SIZE);
        }
        for (Path f : files) {
            long size = size(f);
            if (size > MAX_FILE_BYTES) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, f.getFileName() + " is " + size
                        + " bytes; a batch carries files of at most " + (MAX_FILE_BYTES >> 20) + " MiB each:"
                        + " send it on its own (pouch send FILE), not in the batch");
            }
            if (!Files.isReadable(f)) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "no readable file at " + f);
            }
        }
        return files;
    }

    /**
     * Sends the batch {@code request} describes: resumes the batch {@code resume} names, or the
     * one an earlier run of the same request began, or plans a new one. Returns once every
     * document is acknowledged; a refusal or a lost exchange stops it with what was acknowledged
     * recorded, for the next run to resume.
     */
    public Result send(BatchRequest request, Optional<UUID> resume) {
        long t0 = System.nanoTime();
        List<Path> files = files(request.folder());
        Optional<BatchJournal> earlier = resume.isPresent() ? Optional.of(resumable(resume.get(), request))
                : BatchJournal.find(storeRoot, request);
        if (earlier.isEmpty()) {
            refuseIfUnfinished(request);
        }
        if (earlier.isPresent() && earlier.get().complete()) {
            BatchJournal j = earlier.get();
            listener.planned(j, true, 0);
            return new Result(j.batchId(), j.size(), j.size(), 0, 0, true, elapsed(t0), j.dir(), List.of());
        }
        ExchangeClient.Addressees addressees = exchange.address(request.to(), request.cc());
        BatchJournal journal;
        if (earlier.isPresent()) {
            journal = earlier.get();
            checkUnchanged(journal, files);
        } else {
            journal = BatchJournal.create(storeRoot, request, plan(request, files, addressees), clock.instant());
        }
        boolean resumed = earlier.isPresent();
        int before = journal.acknowledgedCount();
        List<BatchJournal.Entry> pending = journal.pending();
        listener.planned(journal, resumed, pending.size());
        Outcome outcome = sendAll(journal, request, addressees, pending);
        if (outcome.failure() != null) {
            ClientException e = outcome.failure();
            throw new ClientException(e.kind(), e.code().orElse(null), e.getMessage() + " — batch " + journal.batchId() + ": "
                    + journal.acknowledgedCount() + " of " + journal.size() + " documents acknowledged"
                    + (e.retryable() || e.kind() == ClientException.Kind.LOCAL_STORE
                            ? "; run the same command again to send the rest" : ""), e);
        }
        return new Result(journal.batchId(), journal.size(), before, outcome.sent(), outcome.duplicates(), resumed, elapsed(t0),
                journal.dir(), addressees.all().stream().map(OrgCode::value).toList());
    }

    private BatchJournal resumable(UUID batchId, BatchRequest request) {
        BatchJournal j = BatchJournal.open(storeRoot, batchId).orElseThrow(() -> new ClientException(ClientException.Kind.INVALID_INPUT,
                "no batch " + batchId + " in " + BatchJournal.folder(storeRoot) + " (a batch is resumed from the store that began it)"));
        List<String> differences = j.request().differences(request);
        if (!differences.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "batch " + batchId + " was begun with other options: "
                    + String.join("; ", differences) + ". Resume it with the options it was begun with");
        }
        return j;
    }

    /** A new plan for a folder that has an unfinished batch would send its files twice, under other numbers. */
    private void refuseIfUnfinished(BatchRequest request) {
        for (BatchJournal j : BatchJournal.all(storeRoot)) {
            if (j.request().folder().equals(request.folder()) && !j.complete()) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, request.folder() + " has an unfinished batch "
                        + j.batchId() + " (" + j.acknowledgedCount() + " of " + j.size() + " documents sent), begun with other options: "
                        + String.join("; ", j.request().differences(request)) + ". Finish it with the options it was begun with,"
                        + " or remove " + j.dir() + " to give it up");
            }
        }
    }

    /** Fixes each file's document id and number, after checking every header the batch will produce. */
    private List<BatchJournal.Entry> plan(BatchRequest request, List<Path> files, ExchangeClient.Addressees addressees) {
        List<BatchJournal.Entry> entries = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String number = request.number(i + 1, files.size());
            UUID id = UUID.randomUUID();
            long size = size(f);
            checkHeader(request, addressees, id, number, f, size);
            String sha256;
            try {
                sha256 = BatchJournal.sha256(f);
            } catch (IOException e) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot read " + f + ": " + e.getMessage(), e);
            }
            entries.add(new BatchJournal.Entry(i + 1, f.getFileName().toString(), id, number, size, sha256));
        }
        return entries;
    }

    /** What the exchange would refuse in a header (a number too long, a file name it cannot carry…), refused here first. */
    private void checkHeader(BatchRequest request, ExchangeClient.Addressees addressees, UUID id, String number, Path file, long size) {
        try {
            DocumentHeader.Builder b = DocumentHeader.builder().documentId(id).documentNumber(number).type(request.type())
                    .subject(request.subject()).sender(sender).actionRecipients(addressees.action())
                    .informationRecipients(addressees.information()).precedence(request.precedence())
                    .classification(request.classification())
                    .attachments(List.of(new Attachment(file.getFileName().toString(), MediaTypes.of(file), size)));
            request.deadline().ifPresent(b::deadline);
            b.build();
        } catch (CryptoException | IllegalArgumentException | NullPointerException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, file.getFileName() + " as " + number + ": " + e.getMessage(), e);
        }
    }

    /** On resuming: the folder must still hold the files not yet sent, unchanged, and nothing the plan does not know. */
    private static void checkUnchanged(BatchJournal journal, List<Path> files) {
        Set<String> planned = journal.entries().stream().map(BatchJournal.Entry::fileName).collect(Collectors.toSet());
        List<String> added = files.stream().map(f -> f.getFileName().toString()).filter(n -> !planned.contains(n)).toList();
        if (!added.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, journal.request().folder() + " holds " + added.size()
                    + " files batch " + journal.batchId() + " was not planned with (" + String.join(", ", added.subList(0,
                    Math.min(5, added.size()))) + (added.size() > 5 ? ", …" : "") + "); send them as a batch of their own afterwards");
        }
        for (BatchJournal.Entry e : journal.pending()) {
            Path f = journal.request().folder().resolve(e.fileName());
            String now;
            try {
                now = Files.isRegularFile(f) ? BatchJournal.sha256(f) : null;
            } catch (IOException x) {
                now = null;
            }
            if (now == null) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, e.fileName() + " (" + e.number() + ", not sent yet) is"
                        + " no longer in " + journal.request().folder() + "; put it back to finish batch " + journal.batchId());
            }
            if (!now.equals(e.sha256())) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, e.fileName() + " (" + e.number() + ", not sent yet)"
                        + " changed since batch " + journal.batchId() + " began; put back the version it was planned with");
            }
        }
    }

    private record Outcome(int sent, int duplicates, ClientException failure) {
    }

    /** Sends the pending documents, {@code inFlight} at a time; stops starting new ones at the first failure. */
    private Outcome sendAll(BatchJournal journal, BatchRequest request, ExchangeClient.Addressees addressees,
            List<BatchJournal.Entry> pending) {
        Submit.Batch batch = new Submit.Batch(journal.batchId(), journal.size());
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicReference<ClientException> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(inFlight, Math.max(1, pending.size())),
                Thread.ofPlatform().name("pouch-batch-", 0).daemon().factory());
        try {
            List<Future<?>> work = new ArrayList<>();
            for (BatchJournal.Entry e : pending) {
                work.add(pool.submit(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        ExchangeClient.Sent s = exchange.send(draft(request, journal, e), addressees, batch);
                        journal.acknowledged(e.documentId(), s.acceptedAt(), s.duplicate());
                        sent.incrementAndGet();
                        if (s.duplicate()) {
                            duplicates.incrementAndGet();
                        }
                        listener.acknowledged(e, s, journal.acknowledgedCount(), journal.size());
                    } catch (ClientException x) {
                        failure.compareAndSet(null, new ClientException(x.kind(), x.code().orElse(null),
                                e.fileName() + " (" + e.number() + "): " + x.getMessage(), x));
                    } catch (RuntimeException x) {
                        failure.compareAndSet(null, new ClientException(ClientException.Kind.UNREACHABLE,
                                e.fileName() + " (" + e.number() + "): " + x, x));
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new ClientException(ClientException.Kind.UNREACHABLE, "interrupted", x));
        } catch (java.util.concurrent.ExecutionException x) {
            failure.compareAndSet(null, new ClientException(ClientException.Kind.UNREACHABLE, String.valueOf(x.getCause()), x));
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        return new Outcome(sent.get(), duplicates.get(), failure.get());
    }

    private static Draft draft(BatchRequest request, BatchJournal journal, BatchJournal.Entry e) {
        Draft.Builder b = Draft.builder().id(e.documentId()).number(e.number()).type(request.type()).subject(request.subject())
                .classification(request.classification()).precedence(request.precedence()).to(request.to()).copyTo(request.cc())
                .file(journal.request().folder().resolve(e.fileName()));
        request.deadline().ifPresent(b::deadline);
        return b.build();
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
