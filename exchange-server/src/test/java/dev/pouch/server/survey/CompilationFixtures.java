package dev.pouch.server.survey;

import dev.pouch.crypto.document.Classification;
import dev.pouch.server.survey.CompilationManifest.AttachmentEntry;
import dev.pouch.server.survey.CompilationManifest.Office;
import dev.pouch.server.survey.CompilationManifest.Response;
import dev.pouch.server.survey.CompilationManifest.Signature;
import dev.pouch.server.survey.CompilationManifest.State;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A small survey's compilation: two on time (one with text, one a scan without), one late, two silent. */
final class CompilationFixtures {

    static final Instant DEADLINE = Instant.parse("2026-11-20T10:00:00Z");
    static final UUID FR_RESPONSE = UUID.fromString("00000000-0000-0000-0000-0000000000f1");

    private CompilationFixtures() {
    }

    static CompilationManifest manifest(boolean withdrawn) {
        var survey = new CompilationManifest.Survey(UUID.fromString("00000000-0000-0000-0000-000000000001"), "商欧函〔2026〕12号",
                "关于欧洲电信市场的调研函", "HQ-EUR", Classification.INTERNAL, Instant.parse("2026-11-01T02:00:00Z"), DEADLINE,
                DEADLINE, withdrawn, withdrawn ? Optional.of(Instant.parse("2026-11-21T02:00:00Z")) : Optional.empty(),
                withdrawn ? Optional.of("urn:pouch:staff:HQ-EUR:wang.fang") : Optional.empty(),
                withdrawn ? Optional.of("情况有变 — superseded") : Optional.empty());
        Response fr = response(FR_RESPONSE, "FR-EMB", "法经商〔2026〕7号", Instant.parse("2026-11-18T15:30:00Z"), true,
                "法国电信市场概况：四家运营商。\nFrench market: four operators, \"Orange\" leads.", 60, List.of(
                        new AttachmentEntry("报告.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 4096,
                                "attachments/FR-EMB/报告.docx")));
        Response de = response(UUID.fromString("00000000-0000-0000-0000-0000000000d1"), "DE-EMB", "=德经商〔2026〕3号",
                Instant.parse("2026-11-19T08:00:00Z"), true, "", 0, List.of(
                        new AttachmentEntry("scan.pdf", "application/pdf", "application/pdf", 120_000, "attachments/DE-EMB/scan.pdf")));
        Response it = response(UUID.fromString("00000000-0000-0000-0000-0000000000a1"), "IT-EMB", "意经商〔2026〕9号",
                Instant.parse("2026-11-22T09:00:00Z"), false, "Mercato italiano. ".repeat(200).substring(0, 3000), 9000, List.of(
                        new AttachmentEntry("relazione.txt", "text/plain", "text/plain", 9000, "attachments/IT-EMB/relazione.txt")));
        return new CompilationManifest(survey, Instant.parse("2026-11-23T03:00:00Z"), "urn:pouch:staff:HQ-EUR:wang.fang", List.of(
                office("DE-EMB", "驻德国使馆经商处", "Economic and Commercial Office, Embassy in Germany", State.RESPONDED_ON_TIME,
                        "REPLIED", "Europe/Berlin", List.of(de)),
                office("ES-EMB", "驻西班牙使馆经商处", "Economic and Commercial Office, Embassy in Spain", State.NO_RESPONSE,
                        "SIGNED_FOR", "Europe/Madrid", List.of()),
                office("FR-EMB", "驻法国使馆经商处", "Economic and Commercial Office, Embassy in France", State.RESPONDED_ON_TIME,
                        "REPLIED", "Europe/Paris", List.of(fr)),
                office("IT-EMB", "驻意大利使馆经商处", "Economic and Commercial Office, Embassy in Italy", State.RESPONDED_LATE,
                        "REPLIED", "Europe/Rome", List.of(it)),
                office("PT-EMB", "驻葡萄牙使馆经商处", "Economic and Commercial Office, Embassy in Portugal", State.NO_RESPONSE,
                        "QUEUED", "Europe/Lisbon", List.of())));
    }

    private static Office office(String code, String zh, String en, State state, String delivery, String zone,
            List<Response> responses) {
        return new Office(code, zh, en, "EUROPE", ZoneId.of(zone), state,
                responses.stream().map(Response::acceptedAt).min(Instant::compareTo), delivery, Optional.empty(),
                UUID.fromString("00000000-0000-0000-0000-000000000001"), responses);
    }

    private static Response response(UUID id, String office, String number, Instant at, boolean onTime, String text,
            int textLength, List<AttachmentEntry> attachments) {
        return new Response(id, number, "电信市场调研报告", Classification.INTERNAL, "urn:pouch:staff:" + office + ":officer",
                "李明, \"Li\" Ming", at, onTime, "ab".repeat(32), 5000, new Signature(true, "CN=" + office, "valid"),
                "originals/" + office + "/" + id + ".p7m", List.of(), attachments, text, textLength, false);
    }
}
