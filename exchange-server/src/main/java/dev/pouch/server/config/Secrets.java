package dev.pouch.server.config;

import dev.pouch.crypto.Password;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** Secrets kept in owner-only files under the data directory, created on first use. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private Secrets() {
    }

    /** The secret in {@code file}, creating a random 32-character one if the file does not exist. */
    public static Password readOrCreate(Path file) {
        if (!Files.exists(file)) {
            char[] chars = new char[32];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
            }
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, new String(chars) + "\n", StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                // another starter won the race; read theirs
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create secret file " + file, e);
            }
        }
        return read(file);
    }

    /** The secret in an existing file (first line). */
    public static Password read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("secret file " + file + " is missing or unreadable");
        }
        return Password.fromFile(file);
    }

    /** The secret as a string, for APIs that take nothing else (JDBC, broker clients). */
    public static String reveal(Password password) {
        return new String(password.chars());
    }
}
