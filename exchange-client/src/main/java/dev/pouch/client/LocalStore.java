package dev.pouch.client;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.protocol.message.Notice;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An office's documents on its own disk: each received document in {@code inbox/<id>/} with the
 * sealed original as evidence ({@code document.p7m}, parts under {@code parts/}), the opened files
 * under {@code files/}, what was verified ({@code document.properties}) and the signed receipt
 * returned for it ({@code receipt.p7m}). A document is written to a scratch directory, flushed to
 * disk and moved into place in one step, so the inbox never holds half a document; only then is
 * the delivery acknowledged.
 */
public final class LocalStore {

    private static final String META = "document.properties";

    private final Path root;
    private final Path inbox;
    private final Path sent;
    private final Path notices;

    public LocalStore(Path dir) {
        this.root = dir;
        this.inbox = dir.resolve("inbox");
        this.sent = dir.resolve("sent");
        this.notices = dir.resolve("notices");
        try {
            Files.createDirectories(inbox);
            Files.createDirectories(sent);
            Files.createDirectories(notices);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot create the inbox folder " + inbox, e);
        }
    }

    /** What the inbox says of one document. */
    public record Entry(UUID id, String number, String type, String subject, String sender, String classification,
            String precedence, Instant receivedAt, String signer, Path folder, List<Path> files) {
    }

    /** The store's folder. */
    public Path root() {
        return root;
    }

    public Path folder(UUID id) {
        return inbox.resolve(id.toString());
    }

    public boolean contains(UUID id) {
        return Files.isRegularFile(folder(id).resolve(META));
    }

    /**
     * Stores an opened and verified document with its sealed original ({@code main} and its
     * {@code parts}) and its attachments, which {@code content} holds one after the other. Returns
     * false if it was already there (a delivery repeated after a lost acknowledgement).
     */
    public boolean put(OpenedDocument opened, Path main, List<Path> parts, Path content, Instant receivedAt) {
        DocumentHeader h = opened.header();
        if (contains(h.documentId())) {
            return false;
        }
        Path scratch = inbox.resolve(".incoming-" + h.documentId() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(scratch.resolve("files"));
            copy(main, scratch.resolve("document.p7m"));
            for (int i = 0; i < parts.size(); i++) {
                Files.createDirectories(scratch.resolve("parts"));
                copy(parts.get(i), scratch.resolve("parts/part-" + i + ".p7m"));
            }
            List<String> names = attachmentNames(h);
            splitAttachments(h, content, scratch.resolve("files"), names);
            Properties p = new Properties();
            p.setProperty("id", h.documentId().toString());
            p.setProperty("number", h.documentNumber());
            p.setProperty("type", h.type().name());
            p.setProperty("subject", h.subject());
            p.setProperty("sender", h.sender().value());
            p.setProperty("actionRecipients", h.actionRecipients().stream().map(OrgCode::value).collect(Collectors.joining(",")));
            p.setProperty("informationRecipients", h.informationRecipients().stream().map(OrgCode::value)
                    .collect(Collectors.joining(",")));
            p.setProperty("classification", h.classification().name());
            p.setProperty("precedence", h.precedence().name());
            h.inReplyTo().ifPresent(r -> p.setProperty("inReplyTo", r.toString()));
            h.deadline().ifPresent(d -> p.setProperty("deadline", d.toString()));
            p.setProperty("receivedAt", receivedAt.toString());
            p.setProperty("signer", opened.signer().certificate().getSubjectX500Principal().getName());
            p.setProperty("verified", "signature, certificate chain and revocation, recipient list");
            p.setProperty("files", String.join("/", names));
            try (Writer w = Files.newBufferedWriter(scratch.resolve(META), StandardCharsets.UTF_8)) {
                p.store(w, "Pouch: a received document, opened and verified");
            }
            sync(scratch.resolve(META));
            try {
                Files.move(scratch, folder(h.documentId()), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                return false; // another session delivered it at the same moment
            } catch (AtomicMoveNotSupportedException e) {
                throw new ClientException(ClientException.Kind.LOCAL_STORE, "the inbox folder does not allow atomic moves: " + inbox, e);
            }
            sync(inbox);
            return true;
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot store " + h.documentId() + " in " + inbox
                    + ": " + e.getMessage(), e);
        } finally {
            deleteTree(scratch);
        }
    }

    /** The file names a document's attachments are written under: safe, and unique within the document. */
    public static List<String> attachmentNames(DocumentHeader h) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < h.attachments().size(); i++) {
            names.add(unique(safeName(h.attachments().get(i).name(), i), names));
        }
        return names;
    }

    /** Writes each attachment, cut from {@code content} by the sizes the signed header gives, into {@code dir}. */
    public static void splitAttachments(DocumentHeader h, Path content, Path dir, List<String> names) throws IOException {
        try (FileChannel in = FileChannel.open(content, StandardOpenOption.READ)) {
            long offset = 0;
            List<Attachment> attachments = h.attachments();
            for (int i = 0; i < attachments.size(); i++) {
                long size = attachments.get(i).size();
                if (offset + size > in.size()) {
                    throw new IOException("the content is shorter than its attachments say");
                }
                try (FileChannel out = FileChannel.open(dir.resolve(names.get(i)), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    for (long done = 0; done < size; ) {
                        done += in.transferTo(offset + done, size - done, out);
                    }
                    out.force(true);
                }
                offset += size;
            }
        }
    }

    /** A scratch folder on the store's own disk (removed by the caller). */
    Path scratch(String purpose) {
        try {
            return Files.createDirectories(root.resolve(".scratch").resolve(purpose + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot create a scratch folder in " + root, e);
        }
    }

    /** Where incoming transfers are kept until the document they carry is stored. */
    Path transfers() {
        return root.resolve(".transfers");
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to);
        sync(to);
    }

    /**
     * Keeps a document this office seals, before it is uploaded, in {@code sent/<id>/}: the main
     * object and its parts. Returns the files in upload order (main first).
     */
    public List<Path> keepSealed(UUID id, byte[] main, List<Path> parts) {
        Path scratch = sent.resolve(".sealing-" + id + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(scratch);
            write(scratch.resolve("document.p7m"), main);
            for (int i = 0; i < parts.size(); i++) {
                Files.copy(parts.get(i), scratch.resolve("part-" + i + ".p7m"));
                sync(scratch.resolve("part-" + i + ".p7m"));
            }
            try {
                Files.move(scratch, sent.resolve(id.toString()), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // sealed by a concurrent attempt: use that one
            }
            sync(sent);
            return sealed(id).orElseThrow();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot keep the sealed document in " + sent, e);
        } finally {
            deleteTree(scratch);
        }
    }

    /** The sealed files of a document this office sent or is sending under {@code id}, if any. */
    public Optional<List<Path>> sealed(UUID id) {
        Path dir = sent.resolve(id.toString());
        if (!Files.isRegularFile(dir.resolve("document.p7m"))) {
            return Optional.empty();
        }
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve("document.p7m"));
        for (int i = 0; Files.isRegularFile(dir.resolve("part-" + i + ".p7m")); i++) {
            files.add(dir.resolve("part-" + i + ".p7m"));
        }
        return Optional.of(files);
    }

    /** Drops a sealed document the exchange refused for good. */
    public void forgetSealed(UUID id) {
        deleteTree(sent.resolve(id.toString()));
    }

    /**
     * Keeps a notice from the exchange ({@code notices/<id>.properties}, UTF-8, written whole then moved
     * into place); false if it was already kept (a notice delivered again after a lost ack).
     */
    public boolean putNotice(Notice n) {
        Path target = notices.resolve(n.noticeId() + ".properties");
        if (Files.isRegularFile(target)) {
            return false;
        }
        Properties p = new Properties();
        p.setProperty("id", n.noticeId().toString());
        p.setProperty("kind", n.kind().name());
        p.setProperty("documentId", n.documentId().toString());
        p.setProperty("number", n.documentNumber());
        p.setProperty("subject", n.subject());
        p.setProperty("from", n.from());
        p.setProperty("text", n.text());
        n.deadline().ifPresent(d -> p.setProperty("deadline", d.toString()));
        p.setProperty("createdAt", n.createdAt().toString());
        Path scratch = notices.resolve(".writing-" + n.noticeId() + "-" + UUID.randomUUID());
        try {
            java.io.StringWriter text = new java.io.StringWriter();
            p.store(text, "notice from the exchange");
            write(scratch, text.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            sync(notices);
            return true;
        } catch (IOException e) {
            deleteTree(scratch);
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot keep notice " + n.noticeId() + " in " + notices, e);
        }
    }

    /** Every notice kept, newest first. */
    public List<Notice> notices() {
        try (Stream<Path> files = Files.list(notices)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".properties") && !f.getFileName().toString().startsWith("."))
                    .map(LocalStore::readNotice).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(Notice::createdAt).reversed()).toList();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot list " + notices, e);
        }
    }

    private static Optional<Notice> readNotice(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(new Notice(UUID.fromString(p.getProperty("id")), Notice.Kind.valueOf(p.getProperty("kind")),
                    UUID.fromString(p.getProperty("documentId")), p.getProperty("number"), p.getProperty("subject"),
                    p.getProperty("from"), p.getProperty("text"),
                    Optional.ofNullable(p.getProperty("deadline")).map(Instant::parse), Instant.parse(p.getProperty("createdAt"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not a notice this client wrote
        }
    }

    /** Keeps the signed receipt returned for a document beside it. */
    public void putReceipt(UUID id, byte[] receipt) {
        try {
            write(folder(id).resolve("receipt.p7m"), receipt);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot store the receipt of " + id, e);
        }
    }

    public boolean hasReceipt(UUID id) {
        return Files.isRegularFile(folder(id).resolve("receipt.p7m"));
    }

    public Optional<Entry> get(UUID id) {
        Path meta = folder(id).resolve(META);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot read " + meta, e);
        }
        String files = p.getProperty("files", "");
        List<Path> paths = files.isEmpty() ? List.of()
                : Stream.of(files.split("/")).map(n -> folder(id).resolve("files").resolve(n)).toList();
        return Optional.of(new Entry(id, p.getProperty("number"), p.getProperty("type"), p.getProperty("subject"),
                p.getProperty("sender"), p.getProperty("classification"), p.getProperty("precedence"),
                Instant.parse(p.getProperty("receivedAt")), p.getProperty("signer"), folder(id), paths));
    }

    /** The reply deadline a received document carries (a survey request's), if any. */
    public Optional<Instant> deadline(UUID id) {
        Path meta = folder(id).resolve(META);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty("deadline")).map(Instant::parse);
    }

    /** Everything received, newest first. */
    public List<Entry> list() {
        try (Stream<Path> dirs = Files.list(inbox)) {
            return dirs.filter(d -> !d.getFileName().toString().startsWith("."))
                    .map(d -> parseId(d.getFileName().toString()))
                    .flatMap(Optional::stream)
                    .map(this::get).flatMap(Optional::stream)
                    .sorted(Comparator.comparing(Entry::receivedAt).reversed())
                    .toList();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot list " + inbox, e);
        }
    }

    private static Optional<UUID> parseId(String name) {
        try {
            return Optional.of(UUID.fromString(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A file name that cannot leave its folder or surprise a shell. */
    static String safeName(String name, int index) {
        String base = name == null ? "" : name.replaceAll("[/\\\\\\p{Cntrl}:*?\"<>|]", "_").strip();
        if (base.isEmpty() || base.equals(".") || base.equals("..") || base.startsWith(".")) {
            base = "attachment-" + (index + 1) + (base.isEmpty() || base.equals(".") || base.equals("..") ? "" : base);
        }
        return base.length() > 200 ? base.substring(base.length() - 200) : base;
    }

    private static String unique(String name, List<String> taken) {
        if (!taken.contains(name)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        for (int n = 2; ; n++) {
            String candidate = dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot) : name + " (" + n + ")";
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
    }

    private static void sync(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // directories cannot be opened for sync on every platform; the files themselves were forced
        }
    }

    /** Removes a folder and what it holds; what cannot be removed is left behind (it is scratch). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch folder left behind is harmless
        }
    }
}
