package dev.pouch.protocol.message;

import dev.pouch.crypto.seal.Sha256;

/** After the last chunk: the SHA-256 of the whole stream. */
public record StreamEnd(String streamId, Sha256 sha256) implements Message {
    public StreamEnd {
        Checks.streamId(streamId);
        Checks.require(sha256 != null, "digest is missing");
    }
}
