package dev.pouch.protocol.testing;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Deliver;
import dev.pouch.protocol.message.DeliverAck;
import dev.pouch.protocol.message.Notice;
import dev.pouch.protocol.message.NoticeAck;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.DirectoryReply;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Fetch;
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
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.message.Welcome;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One realistic instance of every message type, with every field set. */
public final class SampleMessages {

    private static final UUID DOC = UUID.fromString("5f0c2d4e-8a1b-4c3d-9e7f-0123456789ab");
    private static final Instant AT = Instant.parse("2026-11-23T09:30:15.123Z");

    private SampleMessages() {
    }

    public static List<Message> all() {
        return List.of(
                new Hello(1, 1, "pouch-client/0.1"),
                new Hello(1, 1, "pouch-cli/0.1", false),
                new Welcome(1, "pouch-server/0.1", "urn:pouch:staff:FR-EMB:marie.dupont", 30, 1 << 20, 256 * 1024, 16,
                        ByteString.copyFrom(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})),
                new Ping(42),
                new Pong(-42),
                new Failure(ErrorCode.DIGEST_MISMATCH.code(), "摘要不符 digest mismatch", true, Optional.of(DOC + "/main")),
                Failure.of(ErrorCode.HELLO_REQUIRED, "hello first"),
                new StreamBegin(DOC + "/main", StreamPurpose.UPLOAD, 123_456),
                new StreamBegin(DOC + "/part-00001", StreamPurpose.DOWNLOAD, 16L << 20),
                new StreamState(DOC + "/main", 65_536, false),
                new Chunk(DOC + "/main", 65_536, ByteString.copyFromUtf8("sealed bytes 密封")),
                new StreamEnd(DOC + "/main", Sha256.digest(new byte[] {1, 2, 3})),
                new Submit(DOC, DOC + "/main", List.of(DOC + "/part-00000", DOC + "/part-00001")),
                new Submit(DOC, DOC + "/main", List.of(), Optional.of(new Submit.Batch(DOC, 1061))),
                new SubmitAck(DOC, AT, true),
                new Notice(DOC, Notice.Kind.SURVEY_REMINDER, DOC, "商欧函〔2026〕12号", "欧洲电信市场调研", "HQ-EUR",
                        "请于截止时间前报送 please respond before the deadline", Optional.of(AT), AT),
                new Notice(DOC, Notice.Kind.SURVEY_WITHDRAWN, DOC, "12", "s", "HQ-EUR", "withdrawn", Optional.empty(), AT),
                new NoticeAck(DOC),
                new Deliver(DOC, DOC + "/main", 20_000, List.of(new PartRef(0, DOC + "/part-00000", 16L << 20)),
                        Precedence.FLASH, AT),
                new DeliverAck(DOC),
                new ReceiptUpload(DOC, ByteString.copyFrom(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})),
                new ReceiptAck(DOC),
                new SignFor(DOC, "已阅 read and noted"),
                new StatusQuery(DOC),
                new StatusReply(DOC, List.of(new RecipientStatus("FR-EMB", "SIGNED_FOR", AT, "marie.dupont"),
                        new RecipientStatus("DE-EMB", "QUEUED", AT, ""))),
                new Fetch(DOC, 3, 1024),
                new SearchQuery("电信市场", "商欧函〔2026〕12号", List.of("NOTICE"), List.of("EUROPE"), List.of("FR-EMB"),
                        "HQ-EUR", Optional.of(AT.minusSeconds(86_400)), Optional.of(AT), List.of("INTERNAL"),
                        List.of("URGENT"), "date", 2, 50),
                new DirectoryQuery(List.of("FR-EMB"), List.of("EUROPE"), false),
                new DirectoryReply(List.of(new DirectoryReply.Entry("FR-EMB", "OVERSEAS_OFFICE", "EUROPE", "FR", "驻法国使馆经济商务处",
                        "Economic and Commercial Office, Embassy in France", "Europe/Paris", ByteString.copyFromUtf8("sig"),
                        ByteString.copyFromUtf8("ka"))), ByteString.copyFromUtf8("archive"), ByteString.copyFromUtf8("crl")),
                new SearchResults(1, List.of(new SearchResults.Hit(DOC, "商欧函〔2026〕12号", "NOTICE", "欧洲电信市场调研",
                        "HQ-EUR", AT, "INTERNAL", "…<b>电信</b>市场…")),
                        List.of(new SearchResults.Facet("region", List.of(new SearchResults.Count("EUROPE", 1))))));
    }
}
