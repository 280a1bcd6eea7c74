package dev.pouch.protocol.message;

import java.util.Objects;
import java.util.UUID;

/** Client to server: the notice is persisted. */
public record NoticeAck(UUID noticeId) implements Message {
    public NoticeAck {
        Objects.requireNonNull(noticeId);
    }
}
