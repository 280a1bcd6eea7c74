package dev.pouch.protocol.message;

/** Heartbeat; answered with a {@link Pong} carrying the same nonce. */
public record Ping(long nonce) implements Message {
}
