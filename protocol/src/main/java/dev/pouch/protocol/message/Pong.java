package dev.pouch.protocol.message;

/** Answer to a {@link Ping}. */
public record Pong(long nonce) implements Message {
}
