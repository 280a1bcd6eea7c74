package dev.pouch.crypto.testing;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders of realistic document headers for tests. */
public final class Documents {

    private static final AtomicInteger NUMBER = new AtomicInteger(1);

    private Documents() {
    }

    /** A notice from {@code sender} to {@code recipients} carrying one attachment of {@code size} bytes. */
    public static DocumentHeader.Builder notice(String sender, long size, String... recipients) {
        return DocumentHeader.builder()
                .documentId(UUID.randomUUID())
                .documentNumber("商欧函〔2026〕" + NUMBER.getAndIncrement() + "号")
                .type(DocumentType.NOTICE)
                .subject("关于欧洲电信市场调研的通知 — European telecom market")
                .sender(OrgCode.of(sender))
                .actionRecipients(Arrays.stream(recipients).map(OrgCode::of).toList())
                .precedence(Precedence.URGENT)
                .classification(Classification.INTERNAL)
                .attachment(new Attachment("notice.txt", "text/plain", size));
    }

    /** Deterministic content of {@code size} bytes. */
    public static byte[] content(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }
}
