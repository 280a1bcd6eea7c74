package dev.pouch.protocol.transport;

import java.time.Duration;

/**
 * Every bound a connection lives within. Nothing in the transport queues without one of these.
 *
 * @param maxFrameBytes        largest frame accepted; a longer length prefix fails at once
 * @param maxChunkBytes        largest chunk payload a sender produces
 * @param maxOpenStreams       streams one connection may have open at the same time
 * @param maxPendingChunks     chunks received but not yet stored before reading pauses
 * @param windowChunks         chunks a sender may have unacknowledged per stream
 * @param maxStreamBytes       largest single stream (sealed object or part)
 * @param handshakeTimeout     time allowed for the TLS handshake and hello
 * @param heartbeat            a ping is sent after this much write silence
 * @param idleTimeout          the connection is closed after this much read silence
 * @param requestTimeout       time a request waits for its reply
 */
public record Limits(int maxFrameBytes, int maxChunkBytes, int maxOpenStreams, int maxPendingChunks, int windowChunks,
        long maxStreamBytes, Duration handshakeTimeout, Duration heartbeat, Duration idleTimeout, Duration requestTimeout) {

    public static final int MAX_FRAME_BYTES = 1024 * 1024;

    public Limits {
        if (maxFrameBytes < 1024 || maxFrameBytes > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be between 1 KiB and 1 MiB");
        }
        if (maxChunkBytes < 1 || maxChunkBytes > dev.pouch.protocol.message.Chunk.MAX_DATA || maxChunkBytes + 1024 > maxFrameBytes) {
            throw new IllegalArgumentException("maxChunkBytes must fit a frame and be at most 256 KiB");
        }
        if (maxOpenStreams < 1 || maxPendingChunks < 1 || windowChunks < 1 || maxStreamBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (heartbeat.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("the heartbeat must be shorter than the idle timeout");
        }
    }

    /** The production defaults. */
    public static Limits defaults() {
        return new Limits(MAX_FRAME_BYTES, 256 * 1024, 16, 8, 8, 64L * 1024 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofMinutes(2));
    }

    public Limits withHandshakeTimeout(Duration timeout) {
        return new Limits(maxFrameBytes, maxChunkBytes, maxOpenStreams, maxPendingChunks, windowChunks, maxStreamBytes,
                timeout, heartbeat, idleTimeout, requestTimeout);
    }

    public Limits withHeartbeat(Duration heartbeat, Duration idleTimeout) {
        return new Limits(maxFrameBytes, maxChunkBytes, maxOpenStreams, maxPendingChunks, windowChunks, maxStreamBytes,
                handshakeTimeout, heartbeat, idleTimeout, requestTimeout);
    }

    public Limits withChunks(int maxChunkBytes, int windowChunks) {
        return new Limits(maxFrameBytes, maxChunkBytes, maxOpenStreams, maxPendingChunks, windowChunks, maxStreamBytes,
                handshakeTimeout, heartbeat, idleTimeout, requestTimeout);
    }

    public Limits withRequestTimeout(Duration timeout) {
        return new Limits(maxFrameBytes, maxChunkBytes, maxOpenStreams, maxPendingChunks, windowChunks, maxStreamBytes,
                handshakeTimeout, heartbeat, idleTimeout, timeout);
    }
}
