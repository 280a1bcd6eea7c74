package dev.pouch.client;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.message.Submit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batch journal under crashes: a run stopped at any point — before its plan is complete,
 * between the exchange storing a document and the journal recording the answer, while an
 * answer is being appended — is resumed by running the same request again, and every document
 * is stored by the exchange exactly once, under the id and number the plan fixed. The exchange
 * here is a stand-in that behaves as the real one does for a batch (idempotent by document id,
 * a batch never over its declared size, numbers unique); the real one is in the ITs.
 */
class BatchSenderTest {

    private static final OrgCode HQ = OrgCode.of("HQ-ST");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Path store;
    Path folder;

    @BeforeEach
    void files() throws IOException {
        store = Files.createDirectories(dir.resolve("store"));
        folder = Files.createDirectories(dir.resolve("stats-2026-10"));
        for (int i = 1; i <= 40; i++) {
            Files.writeString(folder.resolve(String.format("trade-%03d.csv", i)), "country,exports\nFR," + i + "\n");
        }
        Files.writeString(folder.resolve(".DS_Store"), "hidden");
        Files.createDirectories(folder.resolve("drafts"));
    }

    /** The exchange's side of a batch, as the server keeps it: one stored document per id, whatever is resent. */
    static final class Exchange implements BatchSender.Exchange {
        final Map<UUID, String> stored = new ConcurrentHashMap<>();
        final Map<UUID, AtomicInteger> submissions = new ConcurrentHashMap<>();
        final Map<UUID, Submit.Batch> batches = new ConcurrentHashMap<>();
        final Set<String> numbers = ConcurrentHashMap.newKeySet();
        final AtomicInteger newlyStored = new AtomicInteger();
        /** After this many documents are newly stored, the sender "dies": every later answer is lost. */
        volatile int dieAfter = Integer.MAX_VALUE;
        volatile boolean dead;

        @Override
        public ExchangeClient.Addressees address(List<String> to, List<String> cc) {
            List<String> named = new ArrayList<>(to);
            named.addAll(cc);
            List<OrgCode> action = to.stream().flatMap(r -> r.equals("all") ? java.util.stream.Stream.of("FR-EMB", "DE-EMB", "KE-EMB")
                    : java.util.stream.Stream.of(r)).map(OrgCode::of).toList();
            return new ExchangeClient.Addressees(named, action, cc.stream().map(OrgCode::of).toList(), List.of());
        }

        @Override
        public ExchangeClient.Sent send(Draft draft, ExchangeClient.Addressees addressees, Submit.Batch batch) {
            if (dead) {
                throw new ClientException(ClientException.Kind.UNREACHABLE, "the process is gone");
            }
            submissions.computeIfAbsent(draft.id(), k -> new AtomicInteger()).incrementAndGet();
            boolean duplicate;
            synchronized (this) {
                duplicate = stored.containsKey(draft.id());
                if (!duplicate) {
                    Submit.Batch first = batches.values().stream().filter(b -> b.id().equals(batch.id())).findFirst().orElse(batch);
                    long held = batches.values().stream().filter(b -> b.id().equals(batch.id())).count();
                    if (first.size() != batch.size() || held >= first.size()) {
                        throw new ClientException(ClientException.Kind.REFUSED, ErrorCode.BATCH_INVALID, "does not fit its batch", null);
                    }
                    if (!numbers.add(draft.number())) {
                        throw new ClientException(ClientException.Kind.REFUSED, ErrorCode.DUPLICATE_DOCUMENT_NUMBER, draft.number(), null);
                    }
                    stored.put(draft.id(), draft.number());
                    batches.put(draft.id(), batch);
                    if (newlyStored.incrementAndGet() >= dieAfter) {
                        dead = true; // stored, but this answer and every later one never reach the sender
                    }
                }
            }
            if (dead) {
                throw new ClientException(ClientException.Kind.UNREACHABLE, "the connection was lost");
            }
            return new ExchangeClient.Sent(draft.id(), draft.number(), CLOCK.instant(), duplicate, addressees.all());
        }

        /** Documents submitted more than once: the ones whose answer was lost. */
        Set<UUID> resubmitted() {
            return submissions.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
        }
    }

    private BatchRequest request(String subject) {
        return BatchRequest.of(folder, "商统〔2026〕10", DocumentType.STATISTICS, subject, Classification.INTERNAL, Precedence.ROUTINE,
                List.of("all"), List.of(), Optional.empty());
    }

    private BatchSender sender(Exchange exchange, int inFlight) {
        return new BatchSender(store, HQ, exchange, inFlight, CLOCK);
    }

    @Test
    void a_folder_becomes_one_batch_each_regular_file_one_numbered_document_fixed_before_sending() throws IOException {
        Exchange exchange = new Exchange();
        List<BatchJournal> seenPlans = new ArrayList<>();
        BatchSender.Result r = sender(exchange, 4).listener(new BatchSender.Listener() {
            @Override
            public void planned(BatchJournal journal, boolean resumed, int pending) {
                seenPlans.add(journal);
                assertThat(exchange.stored).as("the plan is on disk before anything is sent").isEmpty();
                assertThat(BatchJournal.open(store, journal.batchId())).isPresent();
            }
        }).send(request("2026年10月贸易统计"), Optional.empty());

        assertThat(r.size()).isEqualTo(40);
        assertThat(r.sentNow()).isEqualTo(40);
        assertThat(r.duplicates()).isZero();
        assertThat(r.resumed()).isFalse();
        assertThat(seenPlans).hasSize(1);
        BatchJournal j = BatchJournal.open(store, r.batchId()).orElseThrow();
        assertThat(j.complete()).isTrue();
        assertThat(j.entries()).extracting(BatchJournal.Entry::fileName).first().isEqualTo("trade-001.csv");
        assertThat(j.entries()).extracting(BatchJournal.Entry::fileName).doesNotContain(".DS_Store", "drafts");
        assertThat(j.entries()).extracting(BatchJournal.Entry::number).first().isEqualTo("商统〔2026〕10-0001");
        assertThat(j.entries()).extracting(BatchJournal.Entry::number).last().isEqualTo("商统〔2026〕10-0040");
        assertThat(exchange.stored).hasSize(40);
        assertThat(exchange.batches.values()).extracting(Submit.Batch::id).containsOnly(r.batchId());
        assertThat(exchange.batches.values()).extracting(Submit.Batch::size).containsOnly(40);
        j.entries().forEach(e -> assertThat(exchange.stored.get(e.documentId())).isEqualTo(e.number()));
        assertThat(exchange.resubmitted()).isEmpty();

        // The same command again: found by its request, complete, nothing sent.
        BatchSender.Result again = sender(exchange, 4).send(request("2026年10月贸易统计"), Optional.empty());
        assertThat(again.batchId()).isEqualTo(r.batchId());
        assertThat(again.sentNow()).isZero();
        assertThat(exchange.submissions.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(40);
    }

    @Test
    void a_sender_that_dies_after_some_acknowledgements_is_resumed_and_nothing_is_stored_twice() {
        Exchange exchange = new Exchange();
        exchange.dieAfter = 15;
        int inFlight = 6;
        assertThatThrownBy(() -> sender(exchange, inFlight).send(request("月度统计"), Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClientException.Kind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("run the same command again");
                });
        BatchJournal before = BatchJournal.all(store).getFirst();
        int recorded = before.acknowledgedCount();
        assertThat(recorded).isLessThan(15);
        // What the exchange stored but the journal does not know: at most what was in flight.
        Set<UUID> unrecorded = exchange.stored.keySet().stream().filter(id -> !before.isAcknowledged(id)).collect(Collectors.toSet());
        assertThat(unrecorded.size()).isBetween(1, inFlight);

        exchange.dead = false;
        exchange.dieAfter = Integer.MAX_VALUE;
        BatchSender.Result r = sender(exchange, inFlight).send(request("月度统计"), Optional.empty());

        assertThat(r.batchId()).isEqualTo(before.batchId());
        assertThat(r.resumed()).isTrue();
        assertThat(r.acknowledgedBefore()).isEqualTo(recorded);
        assertThat(r.sentNow()).isEqualTo(40 - recorded);
        assertThat(r.duplicates()).as("answered as already stored: exactly those whose answer was lost").isEqualTo(unrecorded.size());
        assertThat(exchange.stored).hasSize(40);
        assertThat(exchange.numbers).hasSize(40);
        assertThat(exchange.resubmitted()).isEqualTo(unrecorded);
        before.entries().forEach(e -> {
            assertThat(exchange.stored.get(e.documentId())).isEqualTo(e.number());
            if (before.isAcknowledged(e.documentId())) {
                assertThat(exchange.submissions.get(e.documentId()).get()).as("acknowledged before: never sent again").isEqualTo(1);
            }
        });
        assertThat(BatchJournal.open(store, r.batchId()).orElseThrow().complete()).isTrue();
    }

    @Test
    void a_crash_while_writing_the_plan_leaves_no_batch_and_a_torn_acknowledgement_is_asked_again() throws IOException {
        // A crash before the plan was moved into place: a scratch folder, no batch.
        Path scratch = Files.createDirectories(BatchJournal.folder(store).resolve(".new-" + UUID.randomUUID()));
        Files.writeString(scratch.resolve("documents.tsv"), "1\t" + UUID.randomUUID() + "\tX-1\t3\tab");
        assertThat(BatchJournal.all(store)).isEmpty();

        Exchange exchange = new Exchange();
        exchange.dieAfter = 10;
        assertThatThrownBy(() -> sender(exchange, 1).send(request("统计"), Optional.empty())).isInstanceOf(ClientException.class);
        BatchJournal j = BatchJournal.all(store).getFirst();
        int recorded = j.acknowledgedCount();
        assertThat(recorded).isEqualTo(9); // one at a time: the tenth was stored, its answer lost
        // A crash while appending the next answer: half a line.
        BatchJournal.Entry next = j.pending().getFirst();
        Files.writeString(j.dir().resolve("acks.log"), next.documentId() + "\t2026-11-2", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        exchange.dead = false;
        exchange.dieAfter = Integer.MAX_VALUE;
        BatchSender.Result r = sender(exchange, 3).send(request("统计"), Optional.empty());
        assertThat(r.acknowledgedBefore()).isEqualTo(9);
        assertThat(r.sentNow()).isEqualTo(31);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(exchange.stored).hasSize(40);
        assertThat(exchange.resubmitted()).containsExactly(next.documentId());
    }

    @Test
    void a_resumed_batch_refuses_a_changed_or_added_file_and_other_options_before_sending_anything() throws IOException {
        Exchange exchange = new Exchange();
        exchange.dieAfter = 5;
        assertThatThrownBy(() -> sender(exchange, 1).send(request("统计"), Optional.empty())).isInstanceOf(ClientException.class);
        BatchJournal j = BatchJournal.all(store).getFirst();
        exchange.dead = false;
        exchange.dieAfter = Integer.MAX_VALUE;
        int submitted = exchange.submissions.values().stream().mapToInt(AtomicInteger::get).sum();

        // Other options for a folder with an unfinished batch: a new plan would send its files twice.
        assertThatThrownBy(() -> sender(exchange, 1).send(request("另一个标题"), Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("unfinished batch " + j.batchId(), "subject '统计' → '另一个标题'");
                });
        assertThatThrownBy(() -> sender(exchange, 1).send(request("另一个标题"), Optional.of(j.batchId())))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getMessage()).contains("begun with other options"));
        assertThatThrownBy(() -> sender(exchange, 1).send(request("统计"), Optional.of(UUID.randomUUID())))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getMessage()).contains("no batch"));

        Path last = folder.resolve("trade-040.csv");
        String original = Files.readString(last);
        Files.writeString(last, "country,exports\nFR,changed\n");
        assertThatThrownBy(() -> sender(exchange, 1).send(request("统计"), Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getMessage()).contains("trade-040.csv", "changed since"));
        Files.writeString(last, original);

        Files.writeString(folder.resolve("trade-041.csv"), "late\n");
        assertThatThrownBy(() -> sender(exchange, 1).send(request("统计"), Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getMessage()).contains("trade-041.csv", "not planned"));
        Files.delete(folder.resolve("trade-041.csv"));

        assertThat(exchange.submissions.values().stream().mapToInt(AtomicInteger::get).sum()).as("nothing sent by the refused runs")
                .isEqualTo(submitted);
        BatchSender.Result r = sender(exchange, 2).send(request("统计"), Optional.of(j.batchId()));
        assertThat(r.batchId()).isEqualTo(j.batchId());
        assertThat(exchange.stored).hasSize(40);
    }

    @Test
    void an_empty_folder_and_a_file_over_the_limit_are_refused_before_anything_is_planned() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve(".hidden"), "x");
        BatchRequest none = BatchRequest.of(empty, "P", DocumentType.STATISTICS, "s", Classification.INTERNAL, Precedence.ROUTINE,
                List.of("all"), List.of(), Optional.empty());
        Exchange exchange = new Exchange();
        assertThatThrownBy(() -> sender(exchange, 1).send(none, Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("holds no files to send");
                });

        try (var big = java.nio.channels.FileChannel.open(folder.resolve("trade-020.csv"), StandardOpenOption.WRITE)) {
            big.write(java.nio.ByteBuffer.wrap(new byte[] {1}), BatchSender.MAX_FILE_BYTES); // sparse: MAX + 1 bytes
        }
        assertThatThrownBy(() -> sender(exchange, 1).send(request("统计"), Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("trade-020.csv", "at most 16 MiB");
                });

        Files.writeString(folder.resolve("trade-020.csv"), "ok\n");
        BatchRequest tooLong = BatchRequest.of(folder, "X".repeat(130), DocumentType.STATISTICS, "s", Classification.INTERNAL,
                Precedence.ROUTINE, List.of("FR-EMB"), List.of(), Optional.empty());
        assertThatThrownBy(() -> sender(exchange, 1).send(tooLong, Optional.empty()))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("document number is longer than 128");
                });
        assertThat(exchange.submissions).isEmpty();
        assertThat(BatchJournal.all(store)).isEmpty();
    }
}
