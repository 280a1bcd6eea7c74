package dev.pouch.server.directory;

/** The regions organizations belong to; a document can be addressed to a whole region. */
public enum Region {
    HQ, EUROPE, AFRICA, ASIA, WEST_ASIA, EURASIA, AMERICAS, OCEANIA
}
