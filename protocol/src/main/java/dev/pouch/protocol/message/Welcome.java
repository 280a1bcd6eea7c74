package dev.pouch.protocol.message;

import com.google.protobuf.ByteString;

import java.util.Objects;

/**
 * Server to client, reply to hello: the agreed version, the identity read from the TLS
 * certificate, the limits, and the exchange authority's current CRL (DER; empty if none).
 */
public record Welcome(int version, String serverSoftware, String identity, int heartbeatSeconds,
        int maxFrameBytes, int maxChunkBytes, int maxOpenStreams, ByteString crl) implements Message {
    public Welcome {
        Checks.require(version >= 1, "no version");
        Checks.text(serverSoftware, 200, "server software");
        Checks.text(identity, 300, "identity");
        Checks.require(heartbeatSeconds > 0 && maxFrameBytes > 0 && maxChunkBytes > 0 && maxOpenStreams > 0, "limits must be positive");
        Objects.requireNonNull(crl, "crl");
    }
}
