package dev.pouch.server.testing;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Realistic letters for server tests: a header and content whose attachments are what they say. */
public final class Letters {

    private static final AtomicInteger NUMBER = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000_000));

    /** A header and the content it describes. */
    public record Letter(DocumentHeader header, byte[] content) {
        public UUID id() {
            return header.documentId();
        }
    }

    private Letters() {
    }

    /** A fresh, unique document number of {@code sender}. */
    public static String number(String sender) {
        return sender + "〔2026〕" + NUMBER.incrementAndGet() + "号";
    }

    /** A plain-text notice (INTERNAL, URGENT) with a unique number. */
    public static Letter notice(String sender, Collection<String> recipients, String text) {
        return letter(sender, recipients, text, Precedence.URGENT, Classification.INTERNAL);
    }

    public static Letter letter(String sender, Collection<String> recipients, String text, Precedence precedence,
            Classification classification) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        return new Letter(header(sender, recipients, precedence, classification)
                .attachment(new Attachment("notice.txt", "text/plain", content.length)).build(), content);
    }

    /** A plain-text reply from {@code sender} to {@code original}'s sender. */
    public static Letter reply(String sender, String to, UUID original, String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        return new Letter(header(sender, java.util.List.of(to), Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.REPLY).inReplyTo(original)
                .attachment(new Attachment("reply.txt", "text/plain", content.length)).build(), content);
    }

    /** A header without attachments, for tests that bring their own. */
    public static DocumentHeader.Builder header(String sender, Collection<String> recipients, Precedence precedence,
            Classification classification) {
        return DocumentHeader.builder()
                .documentId(UUID.randomUUID())
                .documentNumber(number(sender))
                .type(DocumentType.NOTICE)
                .subject("关于欧洲电信市场调研的通知 — on the European telecom market")
                .sender(OrgCode.of(sender))
                .actionRecipients(recipients.stream().map(OrgCode::of).toList())
                .precedence(precedence)
                .classification(classification);
    }

    /** Text of about {@code bytes} bytes, in Chinese and English, like a real notice. */
    public static String text(int bytes) {
        StringBuilder b = new StringBuilder("各驻外经商机构：请于本月底前报送所在国电信市场调研报告。\n");
        int size = b.toString().getBytes(StandardCharsets.UTF_8).length;
        while (size < bytes) {
            String line = "Please report on the telecom market of your country of residence by the end of the month. "
                    + NUMBER.get() + "\n";
            b.append(line);
            size += line.length(); // ASCII
        }
        return b.toString();
    }
}
