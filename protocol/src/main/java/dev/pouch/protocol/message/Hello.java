package dev.pouch.protocol.message;

/**
 * Client to server, first frame: the protocol versions the client speaks, and whether this
 * connection takes the organization's deliveries (a sync agent does; a one-off command does not,
 * so that it never takes a document the agent should have kept).
 */
public record Hello(int minVersion, int maxVersion, String clientSoftware, boolean takesDeliveries) implements Message {
    public Hello {
        Checks.require(minVersion >= 1 && maxVersion >= minVersion, "version range is empty");
        Checks.text(clientSoftware, 200, "client software");
    }

    /** A connection that takes deliveries. */
    public Hello(int minVersion, int maxVersion, String clientSoftware) {
        this(minVersion, maxVersion, clientSoftware, true);
    }
}
