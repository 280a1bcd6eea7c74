package dev.pouch.client;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.Precedence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A folder to send as one batch, and what its documents share: type, subject, classification,
 * precedence, recipients, deadline, and the prefix of their numbers ({@code P-0001}, {@code P-0002},
 * …). The same request run again — same folder, same metadata — is the same batch, resumed.
 */
public record BatchRequest(Path folder, String numberPrefix, DocumentType type, String subject, Classification classification,
        Precedence precedence, List<String> to, List<String> cc, Optional<Instant> deadline) {

    public BatchRequest {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(precedence, "precedence");
        Objects.requireNonNull(deadline, "deadline");
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        if (numberPrefix == null || numberPrefix.isBlank()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a batch needs the prefix of its document numbers");
        }
        if (subject == null || subject.isBlank()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a batch needs a subject");
        }
        if (to.isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a batch needs at least one action recipient");
        }
    }

    /** The request for {@code folder} as the file system names it (absolute, links resolved), so any spelling of it is the same batch. */
    public static BatchRequest of(Path folder, String numberPrefix, DocumentType type, String subject, Classification classification,
            Precedence precedence, List<String> to, List<String> cc, Optional<Instant> deadline) {
        Path real;
        try {
            real = folder.toRealPath();
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "no folder at " + folder);
        }
        if (!Files.isDirectory(real)) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, folder + " is not a folder");
        }
        return new BatchRequest(real, numberPrefix, type, subject, classification, precedence, to, cc, deadline);
    }

    /** The number of the {@code index}-th document (from 1) of a batch of {@code size}: the prefix, a dash, at least four digits. */
    public String number(int index, int size) {
        int width = Math.max(4, Integer.toString(size).length());
        return numberPrefix + "-" + String.format("%0" + width + "d", index);
    }

    /** What differs between this request and {@code other}, for a person ("subject 'a' → 'b'"). */
    public List<String> differences(BatchRequest other) {
        List<String> d = new ArrayList<>();
        diff(d, "folder", folder, other.folder);
        diff(d, "number prefix", numberPrefix, other.numberPrefix);
        diff(d, "type", type, other.type);
        diff(d, "subject", subject, other.subject);
        diff(d, "classification", classification, other.classification);
        diff(d, "precedence", precedence, other.precedence);
        diff(d, "recipients", to, other.to);
        diff(d, "copies", cc, other.cc);
        diff(d, "deadline", deadline.map(Instant::toString).orElse("none"), other.deadline.map(Instant::toString).orElse("none"));
        return d;
    }

    private static void diff(List<String> out, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(what + " '" + a + "' → '" + b + "'");
        }
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("folder", folder.toString());
        p.setProperty("numberPrefix", numberPrefix);
        p.setProperty("type", type.name());
        p.setProperty("subject", subject);
        p.setProperty("classification", classification.name());
        p.setProperty("precedence", precedence.name());
        p.setProperty("to", String.join(",", to));
        p.setProperty("cc", String.join(",", cc));
        deadline.ifPresent(d -> p.setProperty("deadline", d.toString()));
        return p;
    }

    static BatchRequest fromProperties(Properties p) {
        return new BatchRequest(Path.of(p.getProperty("folder")), p.getProperty("numberPrefix"), DocumentType.valueOf(p.getProperty("type")),
                p.getProperty("subject"), Classification.valueOf(p.getProperty("classification")),
                Precedence.valueOf(p.getProperty("precedence")), split(p.getProperty("to")), split(p.getProperty("cc")),
                Optional.ofNullable(p.getProperty("deadline")).map(Instant::parse));
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
    }
}
