package dev.pouch.server.routing;

/** Property names of the broker messages that route documents: references, never payloads. */
public final class BrokerMessages {

    public static final String DOCUMENT_ID = "pouchDocumentId";
    public static final String ORGANIZATION = "pouchOrganization";

    private BrokerMessages() {
    }
}
