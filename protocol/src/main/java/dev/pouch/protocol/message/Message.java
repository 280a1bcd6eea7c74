package dev.pouch.protocol.message;

/**
 * Every message of protocol version 1, as immutable values. Handlers dispatch with a
 * {@code switch} over this sealed type, so a new message cannot be silently ignored.
 */
public sealed interface Message permits Hello, Welcome, Ping, Pong, Failure,
        StreamBegin, StreamState, Chunk, StreamEnd,
        Submit, SubmitAck, Deliver, DeliverAck, ReceiptUpload, ReceiptAck, SignFor,
        StatusQuery, StatusReply, Fetch, SearchQuery, SearchResults, DirectoryQuery, DirectoryReply,
        Notice, NoticeAck {
}
