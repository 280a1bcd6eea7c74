package dev.pouch.protocol.message;

/** Client to server, first frame: the protocol versions the client speaks. */
public record Hello(int minVersion, int maxVersion, String clientSoftware) implements Message {
    public Hello {
        Checks.require(minVersion >= 1 && maxVersion >= minVersion, "version range is empty");
        Checks.text(clientSoftware, 200, "client software");
    }
}
