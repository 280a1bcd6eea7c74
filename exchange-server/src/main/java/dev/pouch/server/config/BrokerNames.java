package dev.pouch.server.config;

import dev.pouch.crypto.document.OrgCode;

/** Names of the broker's addresses and queues: one durable anycast queue per organization. */
public final class BrokerNames {

    public static final String ADDRESS_PREFIX = "pouch.";
    public static final String DEAD_LETTERS = "pouch.dead-letters";

    private BrokerNames() {
    }

    /** The queue (and address) of an organization's inbound documents. */
    public static String organizationQueue(OrgCode org) {
        return ADDRESS_PREFIX + "org." + org.value();
    }
}
