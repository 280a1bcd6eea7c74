package dev.pouch.client;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The local record of one batch being sent, in {@code <store>/batches/<batchId>/}, which makes
 * sending it resumable without sending anything twice. It is written in two steps:
 *
 * <ol>
 *   <li>Before anything is sent, the plan: the batch's shared metadata ({@code batch.properties})
 *       and, for each file, the document id and number it is sent under, with its size and SHA-256
 *       ({@code documents.tsv}). Both are written to a scratch folder, flushed, and moved into
 *       place in one step, so a batch either has its whole plan or does not exist.</li>
 *   <li>As the exchange acknowledges each document, one line in {@code acks.log}, flushed to disk
 *       before the next step counts on it.</li>
 * </ol>
 *
 * <p>A run that stops anywhere (a crash, a kill, a lost connection) is resumed from this record:
 * acknowledged documents are skipped, the others are sent again under the same ids, and for one
 * whose acknowledgement was lost the exchange answers as the first time and stores nothing new.
 * A torn last line of {@code acks.log} (a crash while appending) is ignored: that document is
 * merely asked again.
 */
public final class BatchJournal {

    private static final String META = "batch.properties";
    private static final String PLAN = "documents.tsv";
    private static final String ACKS = "acks.log";

    /** One file of the batch and the document it becomes. */
    public record Entry(int index, String fileName, UUID documentId, String number, long size, String sha256) {
    }

    /** The exchange's answer for one document, as recorded. */
    public record Ack(UUID documentId, Instant acceptedAt, boolean duplicate) {
    }

    private final Path dir;
    private final UUID batchId;
    private final BatchRequest request;
    private final Instant createdAt;
    private final List<Entry> entries;
    private final Map<UUID, Entry> byId = new LinkedHashMap<>();
    private final Map<UUID, Ack> acks = new LinkedHashMap<>();

    private BatchJournal(Path dir, UUID batchId, BatchRequest request, Instant createdAt, List<Entry> entries) {
        this.dir = dir;
        this.batchId = batchId;
        this.request = request;
        this.createdAt = createdAt;
        this.entries = List.copyOf(entries);
        this.entries.forEach(e -> byId.put(e.documentId(), e));
    }

    /** Where a store keeps its batch journals. */
    public static Path folder(Path storeRoot) {
        return storeRoot.resolve("batches");
    }

    /**
     * Writes the plan of a new batch: one document id and number per file, fixed before anything
     * is sent. Returns the journal, with nothing acknowledged.
     */
    public static BatchJournal create(Path storeRoot, BatchRequest request, List<Entry> entries, Instant now) {
        UUID batchId = UUID.randomUUID();
        Path batches = folder(storeRoot);
        Path scratch = batches.resolve(".new-" + batchId);
        Path target = batches.resolve(batchId.toString());
        try {
            Files.createDirectories(scratch);
            Properties p = request.toProperties();
            p.setProperty("batchId", batchId.toString());
            p.setProperty("createdAt", now.toString());
            p.setProperty("size", Integer.toString(entries.size()));
            try (Writer w = Files.newBufferedWriter(scratch.resolve(META), StandardCharsets.UTF_8)) {
                p.store(w, "Pouch: a batch being sent; its documents are in " + PLAN + ", the exchange's answers in " + ACKS);
            }
            StringBuilder plan = new StringBuilder();
            for (Entry e : entries) {
                plan.append(e.index()).append('\t').append(e.documentId()).append('\t').append(encode(e.number())).append('\t')
                        .append(e.size()).append('\t').append(e.sha256()).append('\t').append(encode(e.fileName())).append('\n');
            }
            write(scratch.resolve(PLAN), plan.toString().getBytes(StandardCharsets.UTF_8));
            force(scratch.resolve(META));
            force(scratch);
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            force(batches);
        } catch (AtomicMoveNotSupportedException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "the folder " + batches + " does not allow atomic moves", e);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot write the batch journal in " + batches + ": "
                    + e.getMessage(), e);
        } finally {
            LocalStore.deleteTree(scratch);
        }
        return open(storeRoot, batchId).orElseThrow();
    }

    /** The journal of {@code batchId} in this store, if there is one. */
    public static Optional<BatchJournal> open(Path storeRoot, UUID batchId) {
        Path dir = folder(storeRoot).resolve(batchId.toString());
        if (!Files.isRegularFile(dir.resolve(META)) || !Files.isRegularFile(dir.resolve(PLAN))) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(dir.resolve(META), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            List<Entry> entries = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(PLAN), StandardCharsets.UTF_8)) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                entries.add(new Entry(Integer.parseInt(f[0]), decode(f[5]), UUID.fromString(f[1]), decode(f[2]), Long.parseLong(f[3]), f[4]));
            }
            if (entries.size() != Integer.parseInt(p.getProperty("size"))) {
                throw new IOException("the plan lists " + entries.size() + " documents, the batch " + p.getProperty("size"));
            }
            BatchJournal j = new BatchJournal(dir, UUID.fromString(p.getProperty("batchId")), BatchRequest.fromProperties(p),
                    Instant.parse(p.getProperty("createdAt")), entries);
            j.readAcks();
            return Optional.of(j);
        } catch (IOException | RuntimeException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "the batch journal " + dir + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every batch journal in this store, oldest first. */
    public static List<BatchJournal> all(Path storeRoot) {
        Path batches = folder(storeRoot);
        if (!Files.isDirectory(batches)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(batches)) {
            return dirs.map(d -> d.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .flatMap(n -> {
                        try {
                            return open(storeRoot, UUID.fromString(n)).stream();
                        } catch (IllegalArgumentException notABatch) {
                            return Stream.empty();
                        }
                    })
                    .sorted(java.util.Comparator.comparing(BatchJournal::createdAt)).toList();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot list " + batches, e);
        }
    }

    /** The journal of an earlier run of the same request (same folder, same metadata), if any. */
    public static Optional<BatchJournal> find(Path storeRoot, BatchRequest request) {
        return all(storeRoot).stream().filter(j -> j.request().equals(request)).reduce((first, later) -> later);
    }

    private void readAcks() throws IOException {
        Path file = dir.resolve(ACKS);
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                continue; // a line torn by a crash while it was written: that document is asked again
            }
            try {
                UUID id = UUID.fromString(f[0]);
                if (byId.containsKey(id) && (f[2].equals("new") || f[2].equals("duplicate"))) {
                    acks.putIfAbsent(id, new Ack(id, Instant.parse(f[1]), f[2].equals("duplicate")));
                }
            } catch (RuntimeException torn) {
                // as above
            }
        }
    }

    /**
     * Records the exchange's answer for one document, on disk before it returns. A crash before
     * this completes only means the document is sent again, and answered as a duplicate.
     */
    public synchronized void acknowledged(UUID documentId, Instant acceptedAt, boolean duplicate) {
        if (!byId.containsKey(documentId)) {
            throw new IllegalArgumentException(documentId + " is not a document of batch " + batchId);
        }
        if (acks.containsKey(documentId)) {
            return;
        }
        byte[] line = (documentId + "\t" + acceptedAt + "\t" + (duplicate ? "duplicate" : "new") + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve(ACKS), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot record the acknowledgement of " + documentId
                    + " in " + dir.resolve(ACKS), e);
        }
        acks.put(documentId, new Ack(documentId, acceptedAt, duplicate));
    }

    public UUID batchId() {
        return batchId;
    }

    public BatchRequest request() {
        return request;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Path dir() {
        return dir;
    }

    public int size() {
        return entries.size();
    }

    /** The plan: every file of the batch, in order. */
    public List<Entry> entries() {
        return entries;
    }

    public synchronized boolean isAcknowledged(UUID documentId) {
        return acks.containsKey(documentId);
    }

    public synchronized Map<UUID, Ack> acks() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(acks));
    }

    public synchronized int acknowledgedCount() {
        return acks.size();
    }

    /** The files not yet acknowledged, in order. */
    public synchronized List<Entry> pending() {
        return entries.stream().filter(e -> !acks.containsKey(e.documentId())).toList();
    }

    public synchronized boolean complete() {
        return acks.size() == entries.size();
    }

    static String sha256(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            while (ch.read(b) > 0) {
                b.flip();
                md.update(b);
                b.clear();
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    private static void force(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // a directory cannot be opened for sync on every platform; the files themselves were forced
        }
    }
}
