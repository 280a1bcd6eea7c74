package dev.pouch.server.survey;

import dev.pouch.server.survey.CompilationManifest.AttachmentEntry;
import dev.pouch.server.survey.CompilationManifest.Counts;
import dev.pouch.server.survey.CompilationManifest.Office;
import dev.pouch.server.survey.CompilationManifest.Response;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The package's manifest, one row per target office: {@code manifest.csv} for a spreadsheet and
 * {@code manifest.json} for programs (which also lists every response of an office, its parts and
 * its attachments). Times are ISO 8601, in UTC and in the office's own zone.
 */
public final class CompilationManifestWriter {

    /** The CSV columns, in order. */
    public static final List<String> CSV_COLUMNS = List.of("survey_id", "survey_number", "office", "name_zh", "name_en",
            "region", "timezone", "state", "delivery_state", "signed_for_at_utc", "responder", "responder_name",
            "responded_at_utc", "responded_at_local", "on_time", "signature_status", "document_number", "response_id",
            "sha256", "responses");

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private CompilationManifestWriter() {
    }

    /**
     * RFC 4180 CSV in UTF-8 with a byte-order mark (without it, Excel shows Chinese names as
     * mojibake), CRLF line ends.
     */
    public static void writeCsv(CompilationManifest m, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('\uFEFF');
        row(w, CSV_COLUMNS);
        for (Office o : m.offices()) {
            Optional<Response> first = o.first();
            List<String> cells = new ArrayList<>(List.of(m.survey().id().toString(), m.survey().number(), o.code(),
                    o.nameZh(), o.nameEn(), o.region(), o.zone().getId(), o.state().name(), o.deliveryState(),
                    o.signedForAt().map(Instant::toString).orElse("")));
            cells.add(first.map(Response::responder).orElse(""));
            cells.add(first.map(Response::responderName).orElse(""));
            cells.add(o.respondedAt().map(Instant::toString).orElse(""));
            cells.add(o.respondedAt().map(t -> local(t, o.zone())).orElse(""));
            cells.add(o.state() == CompilationManifest.State.NO_RESPONSE ? ""
                    : String.valueOf(o.state() == CompilationManifest.State.RESPONDED_ON_TIME));
            cells.add(first.map(r -> r.signature().status()).orElse(""));
            cells.add(first.map(Response::number).orElse(""));
            cells.add(first.map(r -> r.id().toString()).orElse(""));
            cells.add(first.map(Response::sha256).orElse(""));
            cells.add(String.valueOf(o.responses().size()));
            row(w, cells);
        }
        w.flush();
    }

    private static void row(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(csvCell(cells.get(i)));
        }
        w.write("\r\n");
    }

    /**
     * One cell: quoted when it holds a comma, quote or line break (quotes doubled); a value a
     * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe, since
     * document numbers and names come from the offices.
     */
    static String csvCell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    public static void writeJson(CompilationManifest m, OutputStream out) {
        JSON.writeValue(out, tree(m));
    }

    static Map<String, Object> tree(CompilationManifest m) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "pouch-survey-compilation/1");
        var s = m.survey();
        Map<String, Object> survey = new LinkedHashMap<>();
        survey.put("id", s.id().toString());
        survey.put("number", s.number());
        survey.put("subject", s.subject());
        survey.put("requester", s.requester());
        survey.put("classification", s.classification().name());
        survey.put("sentAt", s.sentAt().toString());
        survey.put("deadline", s.deadline().toString());
        survey.put("originalDeadline", s.originalDeadline().toString());
        survey.put("state", s.withdrawn() ? "WITHDRAWN" : "OPEN");
        survey.put("withdrawnAt", s.withdrawnAt().map(Instant::toString).orElse(null));
        survey.put("withdrawnBy", s.withdrawnBy().orElse(null));
        survey.put("withdrawalReason", s.withdrawalReason().orElse(null));
        root.put("survey", survey);
        root.put("compiledAt", m.compiledAt().toString());
        root.put("compiledBy", m.compiledBy());
        root.put("classification", m.classification().name());
        Counts c = m.counts();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("targets", c.targets());
        counts.put("respondedOnTime", c.onTime());
        counts.put("respondedLate", c.late());
        counts.put("noResponse", c.noResponse());
        counts.put("responseRate", Math.round(c.rate() * 10_000) / 10_000.0);
        root.put("counts", counts);
        List<Object> offices = new ArrayList<>();
        for (Office o : m.offices()) {
            Map<String, Object> office = new LinkedHashMap<>();
            office.put("office", o.code());
            office.put("nameZh", o.nameZh());
            office.put("nameEn", o.nameEn());
            office.put("region", o.region());
            office.put("timezone", o.zone().getId());
            office.put("state", o.state().name());
            office.put("deliveryState", o.deliveryState());
            office.put("signedForAt", o.signedForAt().map(Instant::toString).orElse(null));
            office.put("requestId", o.requestId().toString());
            office.put("respondedAt", o.respondedAt().map(Instant::toString).orElse(null));
            office.put("respondedAtLocal", o.respondedAt().map(t -> local(t, o.zone())).orElse(null));
            office.put("onTime", o.state() == CompilationManifest.State.NO_RESPONSE ? null
                    : o.state() == CompilationManifest.State.RESPONDED_ON_TIME);
            Optional<Response> first = o.first();
            office.put("responder", first.map(Response::responder).orElse(null));
            office.put("signatureStatus", first.map(r -> r.signature().status()).orElse(null));
            office.put("documentNumber", first.map(Response::number).orElse(null));
            office.put("responseId", first.map(r -> r.id().toString()).orElse(null));
            office.put("sha256", first.map(Response::sha256).orElse(null));
            office.put("responses", o.responses().stream().map(r -> response(r, o.zone())).toList());
            offices.add(office);
        }
        root.put("offices", offices);
        return root;
    }

    private static Map<String, Object> response(Response r, ZoneId zone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toString());
        m.put("number", r.number());
        m.put("subject", r.subject());
        m.put("classification", r.classification().name());
        m.put("responder", r.responder());
        m.put("responderName", r.responderName());
        m.put("acceptedAt", r.acceptedAt().toString());
        m.put("acceptedAtLocal", local(r.acceptedAt(), zone));
        m.put("onTime", r.onTime());
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("status", r.signature().status());
        signature.put("signer", r.signature().signer());
        signature.put("detail", r.signature().detail());
        m.put("signature", signature);
        m.put("original", r.original());
        m.put("sealedSize", r.sealedSize());
        m.put("sha256", r.sha256());
        m.put("parts", r.parts());
        List<Object> attachments = new ArrayList<>();
        for (AttachmentEntry a : r.attachments()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", a.name());
            e.put("mediaType", a.mediaType());
            e.put("detectedType", a.detectedType());
            e.put("size", a.size());
            e.put("path", a.path());
            attachments.add(e);
        }
        m.put("attachments", attachments);
        m.put("textCharacters", r.textLength());
        return m;
    }

    static String local(Instant t, ZoneId zone) {
        return LOCAL.format(t.atZone(zone));
    }
}
