package dev.pouch.server.survey;

import dev.pouch.server.survey.CompilationManifest.AttachmentEntry;
import dev.pouch.server.survey.CompilationManifest.Counts;
import dev.pouch.server.survey.CompilationManifest.Office;
import dev.pouch.server.survey.CompilationManifest.Response;
import dev.pouch.server.survey.CompilationManifest.State;
import dev.pouch.server.survey.CompilationManifest.Survey;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The consolidated report ({@code report.docx}): the survey, a response-rate table, one section per
 * responding office with its response's extracted text (an excerpt, with a note when cut) or, when
 * there is no text, its attachments named; then the offices that did not respond. Bilingual labels,
 * as the ministry's own reports are.
 */
public final class CompilationReportWriter {

    /** The response-rate table's header row. */
    public static final List<String> RATE_COLUMNS = List.of("调研对象 Targets", "按期报送 On time", "逾期报送 Late",
            "未报送 No response", "报送率 Response rate");

    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);

    private CompilationReportWriter() {
    }

    public static void write(CompilationManifest m, OutputStream out) throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            Survey s = m.survey();
            heading(doc, "调研汇总报告 — Survey compilation", 18);
            heading(doc, s.subject(), 14);
            line(doc, "调研函文号 Survey number: " + s.number());
            line(doc, "发文单位 Requester: " + s.requester());
            line(doc, "密级 Classification: " + m.classification().chineseName() + " " + m.classification().name());
            line(doc, "发出时间 Sent: " + time(s.sentAt(), BEIJING));
            line(doc, "截止时间 Deadline: " + time(s.deadline(), BEIJING) + " (" + s.deadline() + ")"
                    + (s.deadline().equals(s.originalDeadline()) ? ""
                    : "; 原定 originally " + time(s.originalDeadline(), BEIJING)));
            if (s.withdrawn()) {
                bold(doc, "本调研已撤回 This survey was withdrawn"
                        + s.withdrawnAt().map(t -> " on " + time(t, BEIJING)).orElse("")
                        + s.withdrawnBy().map(b -> " by " + b).orElse("")
                        + s.withdrawalReason().filter(r -> !r.isBlank()).map(r -> ": " + r).orElse("")
                        + ". 已收到的报送仍汇总如下 Responses received are compiled below.");
            }
            line(doc, "汇总时间 Compiled: " + time(m.compiledAt(), BEIJING) + " by " + m.compiledBy());

            heading(doc, "报送情况 Response rate", 14);
            Counts c = m.counts();
            table(doc, RATE_COLUMNS, List.of(List.of(String.valueOf(c.targets()), String.valueOf(c.onTime()),
                    String.valueOf(c.late()), String.valueOf(c.noResponse()), percent(c.rate()))));

            heading(doc, "各单位报送内容 Responses by office", 14);
            List<Office> responded = m.offices().stream().filter(o -> o.state() != State.NO_RESPONSE).toList();
            if (responded.isEmpty()) {
                line(doc, "无 None.");
            }
            for (Office o : responded) {
                office(doc, o);
            }

            heading(doc, "未报送单位 Offices that did not respond", 14);
            List<Office> silent = m.offices().stream().filter(o -> o.state() == State.NO_RESPONSE).toList();
            if (silent.isEmpty()) {
                line(doc, "无 None: every office responded.");
            } else {
                table(doc, List.of("单位 Office", "名称 Name", "地区 Region", "送达状态 Delivery"), silent.stream()
                        .map(o -> List.of(o.code(), o.nameZh() + " " + o.nameEn(), o.region(), o.deliveryState())).toList());
            }
            doc.write(out);
        }
    }

    private static void office(XWPFDocument doc, Office o) {
        heading(doc, o.code() + " " + o.nameZh() + " — " + o.nameEn() + " (" + o.region() + ")", 12);
        line(doc, (o.state() == State.RESPONDED_ON_TIME ? "按期 On time" : "逾期 Late") + " — "
                + o.respondedAt().map(t -> "报送时间 responded " + time(t, o.zone()) + " (" + t + ")").orElse(""));
        for (Response r : o.responses()) {
            line(doc, "文号 " + r.number() + " — " + r.subject() + " — 报送人 " + r.responder()
                    + (r.responderName().isBlank() ? "" : " (" + r.responderName() + ")") + " — 签名 signature "
                    + r.signature().status() + (r.signature().valid() ? "" : ": " + r.signature().detail()));
            if (!r.excerpt().isBlank()) {
                for (String paragraph : clean(r.excerpt()).split("\n")) {
                    if (!paragraph.isBlank()) {
                        line(doc, paragraph);
                    }
                }
                if (r.excerpt().length() < r.textLength() || r.textTruncatedAtAcceptance()) {
                    italic(doc, "（节选：正文共 " + r.textLength() + " 字，此处为前 " + r.excerpt().length()
                            + " 字，全文见附件 " + names(r) + "）Excerpt: the first " + r.excerpt().length() + " of "
                            + r.textLength() + " characters; the full text is in the attachments.");
                }
            } else {
                italic(doc, "无可提取的文本 No text could be extracted; 附件 attachments: " + names(r));
            }
        }
    }

    private static String names(Response r) {
        StringBuilder b = new StringBuilder();
        for (AttachmentEntry a : r.attachments()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append(a.name()).append(" (").append(a.detectedType()).append(", ").append(a.size()).append(" bytes)");
        }
        return b.toString();
    }

    private static void heading(XWPFDocument doc, String text, int size) {
        XWPFParagraph p = doc.createParagraph();
        p.setSpacingBefore(240);
        XWPFRun run = p.createRun();
        run.setBold(true);
        run.setFontSize(size);
        run.setText(clean(text));
    }

    private static void line(XWPFDocument doc, String text) {
        doc.createParagraph().createRun().setText(clean(text));
    }

    private static void bold(XWPFDocument doc, String text) {
        XWPFRun run = doc.createParagraph().createRun();
        run.setBold(true);
        run.setText(clean(text));
    }

    private static void italic(XWPFDocument doc, String text) {
        XWPFRun run = doc.createParagraph().createRun();
        run.setItalic(true);
        run.setText(clean(text));
    }

    private static void table(XWPFDocument doc, List<String> header, List<List<String>> rows) {
        XWPFTable t = doc.createTable(rows.size() + 1, header.size());
        fill(t.getRow(0), header, true);
        for (int i = 0; i < rows.size(); i++) {
            fill(t.getRow(i + 1), rows.get(i), false);
        }
    }

    private static void fill(XWPFTableRow row, List<String> cells, boolean bold) {
        for (int i = 0; i < cells.size(); i++) {
            XWPFParagraph p = row.getCell(i).getParagraphs().getFirst();
            XWPFRun run = p.createRun();
            run.setBold(bold);
            run.setText(clean(cells.get(i)));
        }
    }

    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String time(Instant t, ZoneId zone) {
        return TIME.format(t.atZone(zone)) + " " + zone.getId();
    }

    /** Text without the characters XML 1.0 cannot carry (extracted text may hold any). */
    static String clean(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean allowed = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            if (allowed) {
                b.appendCodePoint(cp == '\r' ? '\n' : cp);
            }
        });
        return b.toString();
    }
}
