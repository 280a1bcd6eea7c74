package dev.pouch.crypto.document;

/** The kinds of document the exchange carries. */
public enum DocumentType {
    NOTICE,
    REQUEST,
    SURVEY_REQUEST,
    REPORT,
    REPLY,
    STATISTICS,
    BULLETIN
}
