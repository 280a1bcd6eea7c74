package dev.pouch.protocol.codec;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Deliver;
import dev.pouch.protocol.message.DeliverAck;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.DirectoryReply;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.PartRef;
import dev.pouch.protocol.message.Ping;
import dev.pouch.protocol.message.Pong;
import dev.pouch.protocol.message.ReceiptAck;
import dev.pouch.protocol.message.ReceiptUpload;
import dev.pouch.protocol.message.RecipientStatus;
import dev.pouch.protocol.message.SearchQuery;
import dev.pouch.protocol.message.SearchResults;
import dev.pouch.protocol.message.SignFor;
import dev.pouch.protocol.message.StatusQuery;
import dev.pouch.protocol.message.StatusReply;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.message.Notice;
import dev.pouch.protocol.message.NoticeAck;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.message.Welcome;
import dev.pouch.protocol.wire.Frame;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Protobuf frame to message record; anything that does not fit is {@code MALFORMED_FRAME}. */
public final class FromWire {

    private FromWire() {
    }

    public static Framed framed(Frame f) {
        try {
            return new Framed(f.getVersion(), f.getRequestId(), f.getInReplyTo(), message(f));
        } catch (ProtocolException e) {
            throw e;
        } catch (CryptoException | IllegalArgumentException | NullPointerException | ArithmeticException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, e.getMessage(), null, e);
        }
    }

    private static Message message(Frame f) {
        return switch (f.getBodyCase()) {
            case HELLO -> new Hello(f.getHello().getMinVersion(), f.getHello().getMaxVersion(), f.getHello().getClientSoftware(),
                    !f.getHello().getNoDeliveries());
            case WELCOME -> {
                var w = f.getWelcome();
                yield new Welcome(w.getVersion(), w.getServerSoftware(), w.getIdentity(), w.getHeartbeatSeconds(),
                        w.getMaxFrameBytes(), w.getMaxChunkBytes(), w.getMaxOpenStreams(), w.getCrl());
            }
            case PING -> new Ping(f.getPing().getNonce());
            case PONG -> new Pong(f.getPong().getNonce());
            case ERROR -> {
                var e = f.getError();
                yield new Failure(e.getCode(), e.getMessage(), e.getRetryable(),
                        e.getStreamId().isEmpty() ? Optional.empty() : Optional.of(e.getStreamId()));
            }
            case STREAM_BEGIN -> {
                var b = f.getStreamBegin();
                yield new StreamBegin(b.getStreamId(), purpose(b.getPurpose()), b.getTotalSize());
            }
            case STREAM_STATE -> new StreamState(f.getStreamState().getStreamId(), f.getStreamState().getNextOffset(),
                    f.getStreamState().getComplete());
            case CHUNK -> new Chunk(f.getChunk().getStreamId(), f.getChunk().getOffset(), f.getChunk().getData());
            case STREAM_END -> new StreamEnd(f.getStreamEnd().getStreamId(), Sha256.of(f.getStreamEnd().getSha256().toByteArray()));
            case SUBMIT -> {
                var s = f.getSubmit();
                yield new Submit(uuid(s.getDocumentId()), s.getMainStreamId(), s.getPartStreamIdsList(),
                        s.getBatchId().isEmpty() ? Optional.empty() : Optional.of(new Submit.Batch(uuid(s.getBatchId()), s.getBatchSize())));
            }
            case SUBMIT_ACK -> new SubmitAck(uuid(f.getSubmitAck().getDocumentId()),
                    Instant.ofEpochMilli(f.getSubmitAck().getAcceptedAtMillis()), f.getSubmitAck().getDuplicate());
            case DELIVER -> {
                var d = f.getDeliver();
                yield new Deliver(uuid(d.getDocumentId()), d.getMainStreamId(), d.getMainSize(),
                        d.getPartsList().stream().map(p -> new PartRef(p.getIndex(), p.getStreamId(), p.getSize())).toList(),
                        precedence(d.getPrecedence()), Instant.ofEpochMilli(d.getAcceptedAtMillis()));
            }
            case DELIVER_ACK -> new DeliverAck(uuid(f.getDeliverAck().getDocumentId()));
            case RECEIPT_UPLOAD -> new ReceiptUpload(uuid(f.getReceiptUpload().getDocumentId()), f.getReceiptUpload().getReceipt());
            case RECEIPT_ACK -> new ReceiptAck(uuid(f.getReceiptAck().getDocumentId()));
            case SIGN_FOR -> new SignFor(uuid(f.getSignFor().getDocumentId()), f.getSignFor().getNote());
            case STATUS_QUERY -> new StatusQuery(uuid(f.getStatusQuery().getDocumentId()));
            case STATUS_REPLY -> new StatusReply(uuid(f.getStatusReply().getDocumentId()),
                    f.getStatusReply().getRecipientsList().stream().map(r -> new RecipientStatus(r.getOrganization(), r.getState(),
                            Instant.ofEpochMilli(r.getUpdatedAtMillis()), r.getSignedForBy())).toList());
            case FETCH -> new Fetch(uuid(f.getFetch().getDocumentId()), f.getFetch().getPartIndex(), f.getFetch().getOffset());
            case SEARCH_QUERY -> {
                var q = f.getSearchQuery();
                yield new SearchQuery(q.getText(), q.getDocumentNumber(), q.getTypesList(), q.getRegionsList(),
                        q.getOrganizationsList(), q.getSender(), millis(q.getFromMillis()), millis(q.getToMillis()),
                        q.getClassificationsList(), q.getPrecedencesList(), q.getSort().isEmpty() ? "relevance" : q.getSort(),
                        q.getPage(), q.getPageSize() == 0 ? 20 : q.getPageSize());
            }
            case SEARCH_RESULTS -> {
                var r = f.getSearchResults();
                yield new SearchResults(r.getTotal(),
                        r.getHitsList().stream().map(h -> new SearchResults.Hit(uuid(h.getDocumentId()), h.getDocumentNumber(),
                                h.getType(), h.getSubject(), h.getSender(), Instant.ofEpochMilli(h.getAcceptedAtMillis()),
                                h.getClassification(), h.getSnippet())).toList(),
                        r.getFacetsList().stream().map(fc -> new SearchResults.Facet(fc.getField(), fc.getCountsList().stream()
                                .map(c -> new SearchResults.Count(c.getValue(), c.getCount())).toList())).toList());
            }
            case DIRECTORY_QUERY -> new DirectoryQuery(f.getDirectoryQuery().getOrganizationsList(),
                    f.getDirectoryQuery().getRegionsList(), f.getDirectoryQuery().getAll());
            case DIRECTORY_REPLY -> {
                var d = f.getDirectoryReply();
                yield new DirectoryReply(d.getEntriesList().stream().map(e -> new DirectoryReply.Entry(e.getCode(), e.getKind(),
                        e.getRegion(), e.getCountry(), e.getNameZh(), e.getNameEn(), e.getTimezone(), e.getSigningCertificate(),
                        e.getKeyAgreementCertificate())).toList(), d.getArchiveCertificate(), d.getCrl());
            }
            case NOTICE -> {
                var n = f.getNotice();
                yield new Notice(uuid(n.getNoticeId()), noticeKind(n.getKind()), uuid(n.getDocumentId()), n.getDocumentNumber(),
                        n.getSubject(), n.getFrom(), n.getText(), millis(n.getDeadlineMillis()), Instant.ofEpochMilli(n.getCreatedAtMillis()));
            }
            case NOTICE_ACK -> new NoticeAck(uuid(f.getNoticeAck().getNoticeId()));
            case BODY_NOT_SET -> throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "the frame carries no known message");
        };
    }

    private static Notice.Kind noticeKind(String kind) {
        try {
            return Notice.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown notice kind " + kind);
        }
    }

    static UUID uuid(ByteString bytes) {
        if (bytes.size() != 16) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "a document id is 16 bytes");
        }
        ByteBuffer b = bytes.asReadOnlyByteBuffer();
        return new UUID(b.getLong(), b.getLong());
    }

    private static Optional<Instant> millis(long value) {
        return value == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    private static StreamPurpose purpose(dev.pouch.protocol.wire.StreamPurpose p) {
        return switch (p) {
            case UPLOAD -> StreamPurpose.UPLOAD;
            case DOWNLOAD -> StreamPurpose.DOWNLOAD;
            default -> throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown stream purpose");
        };
    }

    private static Precedence precedence(int value) {
        Precedence[] all = Precedence.values();
        if (value < 0 || value >= all.length) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "unknown precedence " + value);
        }
        return all[value];
    }
}
