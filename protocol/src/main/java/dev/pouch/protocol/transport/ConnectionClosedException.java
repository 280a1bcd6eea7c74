package dev.pouch.protocol.transport;

/** The connection ended before an operation completed; retrying on a new connection may help. */
public class ConnectionClosedException extends RuntimeException {
    public ConnectionClosedException(String message) {
        super(message);
    }
}
