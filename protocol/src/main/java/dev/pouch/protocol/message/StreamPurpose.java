package dev.pouch.protocol.message;

/** Why a stream is sent. */
public enum StreamPurpose {
    /** A sealed object the client uploads for a submission. */
    UPLOAD,
    /** A sealed object the server delivers or returns for a fetch. */
    DOWNLOAD
}
