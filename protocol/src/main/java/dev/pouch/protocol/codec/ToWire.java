package dev.pouch.protocol.codec;

import com.google.protobuf.ByteString;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Deliver;
import dev.pouch.protocol.message.DeliverAck;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.DirectoryReply;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.message.Ping;
import dev.pouch.protocol.message.Pong;
import dev.pouch.protocol.message.ReceiptAck;
import dev.pouch.protocol.message.ReceiptUpload;
import dev.pouch.protocol.message.SearchQuery;
import dev.pouch.protocol.message.SearchResults;
import dev.pouch.protocol.message.SignFor;
import dev.pouch.protocol.message.StatusQuery;
import dev.pouch.protocol.message.StatusReply;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.message.Welcome;
import dev.pouch.protocol.wire.Facet;
import dev.pouch.protocol.wire.FacetCount;
import dev.pouch.protocol.wire.Frame;
import dev.pouch.protocol.wire.PartRef;
import dev.pouch.protocol.wire.RecipientStatus;
import dev.pouch.protocol.wire.SearchHit;
import dev.pouch.protocol.wire.StreamPurpose;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;

/** Message record to protobuf frame. */
public final class ToWire {

    private ToWire() {
    }

    public static Frame frame(Framed framed) {
        Frame.Builder f = Frame.newBuilder().setVersion(framed.version()).setRequestId(framed.requestId())
                .setInReplyTo(framed.inReplyTo());
        switch (framed.message()) {
            case Hello h -> f.setHello(dev.pouch.protocol.wire.Hello.newBuilder().setMinVersion(h.minVersion())
                    .setMaxVersion(h.maxVersion()).setClientSoftware(h.clientSoftware()).setNoDeliveries(!h.takesDeliveries()));
            case Welcome w -> f.setWelcome(dev.pouch.protocol.wire.Welcome.newBuilder().setVersion(w.version())
                    .setServerSoftware(w.serverSoftware()).setIdentity(w.identity()).setHeartbeatSeconds(w.heartbeatSeconds())
                    .setMaxFrameBytes(w.maxFrameBytes()).setMaxChunkBytes(w.maxChunkBytes()).setMaxOpenStreams(w.maxOpenStreams())
                    .setCrl(w.crl()));
            case Ping p -> f.setPing(dev.pouch.protocol.wire.Ping.newBuilder().setNonce(p.nonce()));
            case Pong p -> f.setPong(dev.pouch.protocol.wire.Pong.newBuilder().setNonce(p.nonce()));
            case Failure e -> f.setError(dev.pouch.protocol.wire.Error.newBuilder().setCode(e.code()).setMessage(e.message())
                    .setRetryable(e.retryable()).setStreamId(e.streamId().orElse("")));
            case StreamBegin b -> f.setStreamBegin(dev.pouch.protocol.wire.StreamBegin.newBuilder().setStreamId(b.streamId())
                    .setPurpose(b.purpose() == dev.pouch.protocol.message.StreamPurpose.UPLOAD ? StreamPurpose.UPLOAD : StreamPurpose.DOWNLOAD)
                    .setTotalSize(b.totalSize()));
            case StreamState s -> f.setStreamState(dev.pouch.protocol.wire.StreamState.newBuilder().setStreamId(s.streamId())
                    .setNextOffset(s.nextOffset()).setComplete(s.complete()));
            case Chunk c -> f.setChunk(dev.pouch.protocol.wire.Chunk.newBuilder().setStreamId(c.streamId()).setOffset(c.offset())
                    .setData(c.data()));
            case StreamEnd e -> f.setStreamEnd(dev.pouch.protocol.wire.StreamEnd.newBuilder().setStreamId(e.streamId())
                    .setSha256(ByteString.copyFrom(e.sha256().bytes())));
            case Submit s -> {
                var b = dev.pouch.protocol.wire.Submit.newBuilder().setDocumentId(uuid(s.documentId()))
                        .setMainStreamId(s.mainStreamId()).addAllPartStreamIds(s.partStreamIds());
                s.batch().ifPresent(batch -> b.setBatchId(uuid(batch.id())).setBatchSize(batch.size()));
                f.setSubmit(b);
            }
            case SubmitAck a -> f.setSubmitAck(dev.pouch.protocol.wire.SubmitAck.newBuilder().setDocumentId(uuid(a.documentId()))
                    .setAcceptedAtMillis(a.acceptedAt().toEpochMilli()).setDuplicate(a.duplicate()));
            case Deliver d -> {
                var b = dev.pouch.protocol.wire.Deliver.newBuilder().setDocumentId(uuid(d.documentId()))
                        .setMainStreamId(d.mainStreamId()).setMainSize(d.mainSize()).setPrecedence(d.precedence().ordinal())
                        .setAcceptedAtMillis(d.acceptedAt().toEpochMilli());
                d.parts().forEach(p -> b.addParts(PartRef.newBuilder().setIndex(p.index()).setStreamId(p.streamId()).setSize(p.size())));
                f.setDeliver(b);
            }
            case DeliverAck a -> f.setDeliverAck(dev.pouch.protocol.wire.DeliverAck.newBuilder().setDocumentId(uuid(a.documentId())));
            case ReceiptUpload r -> f.setReceiptUpload(dev.pouch.protocol.wire.ReceiptUpload.newBuilder()
                    .setDocumentId(uuid(r.documentId())).setReceipt(r.receipt()));
            case ReceiptAck a -> f.setReceiptAck(dev.pouch.protocol.wire.ReceiptAck.newBuilder().setDocumentId(uuid(a.documentId())));
            case SignFor s -> f.setSignFor(dev.pouch.protocol.wire.SignFor.newBuilder().setDocumentId(uuid(s.documentId())).setNote(s.note()));
            case StatusQuery q -> f.setStatusQuery(dev.pouch.protocol.wire.StatusQuery.newBuilder().setDocumentId(uuid(q.documentId())));
            case StatusReply r -> {
                var b = dev.pouch.protocol.wire.StatusReply.newBuilder().setDocumentId(uuid(r.documentId()));
                r.recipients().forEach(s -> b.addRecipients(RecipientStatus.newBuilder().setOrganization(s.organization())
                        .setState(s.state()).setUpdatedAtMillis(s.updatedAt().toEpochMilli()).setSignedForBy(s.signedForBy())));
                f.setStatusReply(b);
            }
            case Fetch q -> f.setFetch(dev.pouch.protocol.wire.Fetch.newBuilder().setDocumentId(uuid(q.documentId()))
                    .setPartIndex(q.partIndex()).setOffset(q.offset()));
            case SearchQuery q -> f.setSearchQuery(dev.pouch.protocol.wire.SearchQuery.newBuilder().setText(q.text())
                    .setDocumentNumber(q.documentNumber()).addAllTypes(q.types()).addAllRegions(q.regions())
                    .addAllOrganizations(q.organizations()).setSender(q.sender())
                    .setFromMillis(q.from().map(Instant::toEpochMilli).orElse(0L)).setToMillis(q.to().map(Instant::toEpochMilli).orElse(0L))
                    .addAllClassifications(q.classifications()).addAllPrecedences(q.precedences()).setSort(q.sort())
                    .setPage(q.page()).setPageSize(q.pageSize()));
            case SearchResults r -> {
                var b = dev.pouch.protocol.wire.SearchResults.newBuilder().setTotal(r.total());
                r.hits().forEach(h -> b.addHits(SearchHit.newBuilder().setDocumentId(uuid(h.documentId()))
                        .setDocumentNumber(h.documentNumber()).setType(h.type()).setSubject(h.subject()).setSender(h.sender())
                        .setAcceptedAtMillis(h.acceptedAt().toEpochMilli()).setClassification(h.classification()).setSnippet(h.snippet())));
                r.facets().forEach(fc -> {
                    var fb = Facet.newBuilder().setField(fc.field());
                    fc.counts().forEach(c -> fb.addCounts(FacetCount.newBuilder().setValue(c.value()).setCount(c.count())));
                    b.addFacets(fb);
                });
                f.setSearchResults(b);
            }
            case DirectoryQuery q -> f.setDirectoryQuery(dev.pouch.protocol.wire.DirectoryQuery.newBuilder()
                    .addAllOrganizations(q.organizations()).addAllRegions(q.regions()).setAll(q.all()));
            case DirectoryReply r -> {
                var b = dev.pouch.protocol.wire.DirectoryReply.newBuilder().setArchiveCertificate(r.archiveCertificate()).setCrl(r.crl());
                r.entries().forEach(e -> b.addEntries(dev.pouch.protocol.wire.DirectoryEntry.newBuilder().setCode(e.code())
                        .setKind(e.kind()).setRegion(e.region()).setCountry(e.country()).setNameZh(e.nameZh()).setNameEn(e.nameEn())
                        .setTimezone(e.timezone()).setSigningCertificate(e.signingCertificate())
                        .setKeyAgreementCertificate(e.keyAgreementCertificate())));
                f.setDirectoryReply(b);
            }
            case dev.pouch.protocol.message.Notice n -> f.setNotice(dev.pouch.protocol.wire.Notice.newBuilder()
                    .setNoticeId(uuid(n.noticeId())).setKind(n.kind().name()).setDocumentId(uuid(n.documentId()))
                    .setDocumentNumber(n.documentNumber()).setSubject(n.subject()).setFrom(n.from()).setText(n.text())
                    .setDeadlineMillis(n.deadline().map(Instant::toEpochMilli).orElse(0L))
                    .setCreatedAtMillis(n.createdAt().toEpochMilli()));
            case dev.pouch.protocol.message.NoticeAck a -> f.setNoticeAck(dev.pouch.protocol.wire.NoticeAck.newBuilder()
                    .setNoticeId(uuid(a.noticeId())));
        }
        return f.build();
    }

    static ByteString uuid(UUID id) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).flip());
    }
}
