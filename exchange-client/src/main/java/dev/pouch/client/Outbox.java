package dev.pouch.client;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An office agent's outbox folder. A file (or a folder of files) dropped into it becomes one
 * document; a {@code NAME.pouch} file beside it may describe it (properties {@code to}, {@code cc},
 * {@code subject}, {@code number}, {@code type}, {@code classification}, {@code precedence},
 * {@code in-reply-to}, {@code deadline}). Accepting a file moves it into {@code .queue/<id>/} with
 * the description and the document id fixed there, in one rename — so however often the link
 * breaks or the agent restarts, the document is sent under that one id, and the exchange takes it
 * exactly once. Sent documents move to {@code sent/<id>/}; refused ones to {@code failed/<id>/}
 * with the reason.
 */
public final class Outbox {

    private static final String DRAFT = "draft.properties";
    /** A file is taken once it has not changed for this long (it may still be being copied in). */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private final Path dir;
    private final Path queue;
    private final Path sent;
    private final Path failed;
    private final OrgCode organization;
    private final List<String> defaultRecipients;

    /** A document accepted and waiting to be sent. */
    public record Queued(UUID id, String number, String source, Path folder, Properties description) {

        /** The draft to send; refuses a description that cannot be sent (no recipient, a bad value). */
        public Draft draft() {
            Properties p = description;
            List<Path> files;
            try (Stream<Path> all = Files.list(folder.resolve("files"))) {
                files = all.sorted().toList();
            } catch (IOException e) {
                throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot read " + folder, e);
            }
            try {
                Draft.Builder d = Draft.builder().id(id).number(number).subject(p.getProperty("subject"))
                        .to(list(p.getProperty("to"))).copyTo(list(p.getProperty("cc"))).files(files)
                        .type(DocumentType.valueOf(p.getProperty("type", "REPORT").trim().toUpperCase(Locale.ROOT)))
                        .classification(Classification.valueOf(p.getProperty("classification", "INTERNAL").trim().toUpperCase(Locale.ROOT)))
                        .precedence(Precedence.valueOf(p.getProperty("precedence", "ROUTINE").trim().toUpperCase(Locale.ROOT)));
                if (p.getProperty("in-reply-to") != null) {
                    d.inReplyTo(UUID.fromString(p.getProperty("in-reply-to").trim()));
                }
                if (p.getProperty("deadline") != null) {
                    d.deadline(Instant.parse(p.getProperty("deadline").trim()));
                }
                return d.build();
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "the description of " + source + " is wrong: "
                        + e.getMessage(), e);
            }
        }

        private static List<String> list(String value) {
            return value == null || value.isBlank() ? List.of()
                    : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    public Outbox(Path dir, OrgCode organization, List<String> defaultRecipients) {
        this.dir = dir;
        this.queue = dir.resolve(".queue");
        this.sent = dir.resolve("sent");
        this.failed = dir.resolve("failed");
        this.organization = organization;
        this.defaultRecipients = List.copyOf(defaultRecipients);
        try {
            Files.createDirectories(queue);
            Files.createDirectories(sent);
            Files.createDirectories(failed);
            recoverInterruptedClaims();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot prepare the outbox " + dir, e);
        }
    }

    /**
     * A claim interrupted by a crash (before its final rename) gives what it had taken back to the
     * outbox: the file, or the folder, and its description.
     */
    private void recoverInterruptedClaims() throws IOException {
        try (Stream<Path> claims = Files.list(queue)) {
            for (Path claim : claims.filter(p -> p.getFileName().toString().endsWith(".claiming")).toList()) {
                Properties p = new Properties();
                if (Files.isRegularFile(claim.resolve(DRAFT))) {
                    try (Reader r = Files.newBufferedReader(claim.resolve(DRAFT), StandardCharsets.UTF_8)) {
                        p.load(r);
                    }
                }
                String name = p.getProperty("source");
                Path files = claim.resolve("files");
                if (name != null && Files.exists(files)) {
                    if (Boolean.parseBoolean(p.getProperty("folder"))) {
                        moveIfPresent(claim.resolve("send.properties"), files.resolve("send.properties"));
                        Files.move(files, dir.resolve(name));
                    } else {
                        moveIfPresent(files.resolve(name), dir.resolve(name));
                    }
                    moveIfPresent(claim.resolve(name + ".pouch"), dir.resolve(name + ".pouch"));
                }
                LocalStore.deleteTree(claim);
            }
        }
    }

    private static void moveIfPresent(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.move(from, to);
        }
    }

    /** Takes the files that have settled in the outbox; returns what was accepted. */
    public List<Queued> accept() {
        List<Queued> accepted = new ArrayList<>();
        for (Path p : pending()) {
            try {
                if (Instant.now().minus(SETTLE).isBefore(Files.getLastModifiedTime(p).toInstant())) {
                    continue;
                }
                accepted.add(claim(p));
            } catch (IOException e) {
                throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot take " + p + " from the outbox: "
                        + e.getMessage(), e);
            }
        }
        return accepted;
    }

    /** Files and folders in the outbox not yet accepted. */
    public List<Path> pending() {
        try (Stream<Path> all = Files.list(dir)) {
            return all.filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.endsWith(".pouch") && !n.endsWith(".part") && !n.endsWith(".tmp")
                        && !p.equals(sent) && !p.equals(failed);
            }).sorted().toList();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot list the outbox " + dir, e);
        }
    }

    /**
     * Moves a file (or folder) into {@code .queue/<id>.claiming/} with its description written
     * first, then renames the claim to {@code .queue/<id>/}; a crash in between is undone by
     * {@link #recoverInterruptedClaims}.
     */
    private Queued claim(Path source) throws IOException {
        UUID id = UUID.randomUUID();
        String name = source.getFileName().toString();
        boolean folder = Files.isDirectory(source);
        Path sidecar = dir.resolve(name + ".pouch");
        Properties p = new Properties();
        Path description = Files.isRegularFile(sidecar) ? sidecar : folder ? source.resolve("send.properties") : null;
        if (description != null && Files.isRegularFile(description)) {
            try (Reader r = Files.newBufferedReader(description, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        p.putIfAbsent("subject", folder ? name : stripExtension(name));
        p.putIfAbsent("number", organization.value() + "-" + Year.now(ZoneOffset.UTC) + "-" + id.toString().substring(0, 8));
        if (!defaultRecipients.isEmpty()) {
            p.putIfAbsent("to", String.join(",", defaultRecipients));
        }
        p.setProperty("id", id.toString());
        p.setProperty("source", name);
        p.setProperty("folder", Boolean.toString(folder));
        p.setProperty("acceptedAt", Instant.now().toString());

        Path claim = Files.createDirectories(queue.resolve(id + ".claiming"));
        try (Writer w = Files.newBufferedWriter(claim.resolve(DRAFT), StandardCharsets.UTF_8)) {
            p.store(w, "Pouch: a document accepted from the outbox");
        }
        if (folder) {
            Files.move(source, claim.resolve("files")); // the folder becomes the document's files
            moveIfPresent(claim.resolve("files/send.properties"), claim.resolve("send.properties"));
        } else {
            Files.createDirectories(claim.resolve("files"));
            Files.move(source, claim.resolve("files").resolve(name));
        }
        moveIfPresent(sidecar, claim.resolve(name + ".pouch"));
        Path queued = queue.resolve(id.toString());
        Files.move(claim, queued, StandardCopyOption.ATOMIC_MOVE);
        return new Queued(id, p.getProperty("number"), name, queued, p);
    }

    /** Documents accepted and not yet sent, oldest first. */
    public List<Queued> queued() {
        try (Stream<Path> all = Files.list(queue)) {
            List<Queued> out = new ArrayList<>();
            for (Path folder : all.filter(p -> !p.getFileName().toString().endsWith(".claiming")).toList()) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(folder.resolve(DRAFT), StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                out.add(new Queued(UUID.fromString(p.getProperty("id")), p.getProperty("number"), p.getProperty("source"), folder, p));
            }
            out.sort(Comparator.comparing(q -> q.description().getProperty("acceptedAt")));
            return out;
        } catch (IOException | RuntimeException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot read the outbox queue " + queue, e);
        }
    }

    /** The exchange accepted it: keep it under {@code sent/<id>/} with what the exchange answered. */
    public void sent(Queued q, ExchangeClient.Sent answer) {
        Properties p = q.description();
        p.setProperty("acceptedByExchangeAt", answer.acceptedAt().toString());
        p.setProperty("recipients", String.join(",", answer.recipients().stream().map(OrgCode::value).toList()));
        finish(q, sent, "sent.properties", p);
    }

    /** Refused for good: keep it under {@code failed/<id>/} with the reason. */
    public void failed(Queued q, ClientException e) {
        Properties p = q.description();
        p.setProperty("error", e.code().map(c -> c.code() + " " + c.name()).orElse(e.kind().name()));
        p.setProperty("reason", String.valueOf(e.getMessage()));
        finish(q, failed, "failed.properties", p);
    }

    private void finish(Queued q, Path to, String file, Properties p) {
        try {
            try (Writer w = Files.newBufferedWriter(q.folder().resolve(file), StandardCharsets.UTF_8)) {
                p.store(w, "Pouch");
            }
            Files.move(q.folder(), to.resolve(q.id().toString()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot move " + q.folder() + " to " + to, e);
        }
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
