package dev.pouch.server.routing;

/** Property names of the broker messages that route documents: references, never payloads. */
public final class BrokerMessages {

    public static final String DOCUMENT_ID = "pouchDocumentId";
    public static final String ORGANIZATION = "pouchOrganization";
    /** Set instead of {@link #DOCUMENT_ID} on a message that carries a notice. */
    public static final String NOTICE_ID = "pouchNoticeId";

    private BrokerMessages() {
    }
}
