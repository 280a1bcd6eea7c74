package dev.pouch.server.survey;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Notice;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.notice.NoticeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Surveys (调研): a department asks offices for reports by a deadline and follows who answered.
 *
 * <p>A survey is a {@code SURVEY_REQUEST} document: its signed header names the targets (the
 * action recipients) and the deadline. Its responses are {@code REPORT}s in reply to it from
 * target offices, addressed to the requester; each is on time if the exchange accepted it by the
 * deadline then in force. The requester can extend the deadline, add targets (a further
 * {@code SURVEY_REQUEST} in reply to the survey, carrying the same letter, so the new offices
 * receive it signed and sealed like the first ones), remind offices, or withdraw the survey. The
 * exchange reminds offices that have not responded {@code pouch.surveys.reminder-before} the
 * deadline and again once it passed. Every act is audited and told to the offices concerned by
 * a {@link Notice}.
 *
 * <p>Rules at submission: a survey needs a deadline in the future; a report to a withdrawn survey
 * is refused ({@code SURVEY_WITHDRAWN}); a report from an office the survey did not ask is refused
 * ({@code SURVEY_NOT_TARGETED}) — it may send a {@code REPLY}, which is accepted as a plain reply
 * and not counted as a response; a report from the requester itself in reply to its survey (e.g.
 * the compilation shared onward) is a plain document.
 */
@Service
public class SurveyService {

    private static final Logger log = LoggerFactory.getLogger(SurveyService.class);

    private final SurveyRepository surveys;
    private final NoticeService notices;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration reminderBefore;

    public SurveyService(SurveyRepository surveys, NoticeService notices, AuditLog audit, TransactionTemplate tx, JdbcTemplate jdbc,
            Clock clock, PouchProperties properties) {
        this.surveys = surveys;
        this.notices = notices;
        this.audit = audit;
        this.tx = tx;
        this.jdbc = jdbc;
        this.clock = clock;
        this.reminderBefore = properties.surveys().reminderBefore();
    }

    /** What an accepted document means for surveys, decided before it is stored. */
    public sealed interface Plan {
    }

    /** Nothing: the document has nothing to do with a survey. */
    public record Unrelated() implements Plan {
    }

    /** A new survey. */
    public record NewSurvey(OrgCode requester, List<OrgCode> targets, Instant deadline) implements Plan {
    }

    /** More targets for an open survey. */
    public record Addition(UUID surveyId, List<OrgCode> targets) implements Plan {
    }

    /** A target office's report. */
    public record Response(UUID surveyId, OrgCode office) implements Plan {
    }

    private static final Plan UNRELATED = new Unrelated();

    /** Checks a document about to be accepted; refuses what breaks a survey's rules. Nothing is written. */
    public Plan check(DocumentHeader h, Instant now) {
        if (h.type() == DocumentType.SURVEY_REQUEST) {
            Optional<SurveyRepository.Survey> parent = h.inReplyTo().flatMap(surveys::find);
            return parent.isPresent() ? checkAddition(h, parent.get()) : checkNew(h, now);
        }
        if (h.type() == DocumentType.REPORT && h.inReplyTo().isPresent()) {
            Optional<SurveyRepository.Survey> survey = surveys.answeredBy(h.inReplyTo().get());
            if (survey.isEmpty() || survey.get().requester().equals(h.sender())) {
                return UNRELATED;
            }
            SurveyRepository.Survey s = survey.get();
            if (s.withdrawn()) {
                throw new ProtocolException(ErrorCode.SURVEY_WITHDRAWN, "survey " + s.id() + " was withdrawn by " + s.requester()
                        + "; it takes no more reports");
            }
            if (!surveys.isTarget(s.id(), h.sender())) {
                throw new ProtocolException(ErrorCode.SURVEY_NOT_TARGETED, h.sender() + " is not among the offices survey "
                        + s.id() + " asked; send your answer as a REPLY instead of a REPORT");
            }
            if (!h.allRecipients().contains(s.requester())) {
                throw new ProtocolException(ErrorCode.SURVEY_INVALID, "a report for survey " + s.id() + " goes to its requester "
                        + s.requester());
            }
            return new Response(s.id(), h.sender());
        }
        return UNRELATED;
    }

    private Plan checkNew(DocumentHeader h, Instant now) {
        if (h.deadline().isEmpty()) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "a survey request needs a deadline");
        }
        if (!h.deadline().get().isAfter(now)) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "the deadline " + h.deadline().get()
                    + " is already past (the exchange's time is " + now + ")");
        }
        List<OrgCode> targets = h.actionRecipients();
        if (targets.isEmpty()) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "a survey request needs at least one target office");
        }
        return new NewSurvey(h.sender(), targets, h.deadline().get());
    }

    private Plan checkAddition(DocumentHeader h, SurveyRepository.Survey s) {
        if (!s.requester().equals(h.sender())) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "only " + s.requester() + " can add targets to survey " + s.id());
        }
        if (s.withdrawn()) {
            throw new ProtocolException(ErrorCode.SURVEY_WITHDRAWN, "survey " + s.id() + " was withdrawn; it takes no new targets");
        }
        if (h.deadline().isEmpty() || !h.deadline().get().equals(s.deadline())) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "the added offices' letter must carry the survey's current deadline "
                    + s.deadline() + ", not " + h.deadline().map(Instant::toString).orElse("none"));
        }
        Set<OrgCode> already = new LinkedHashSet<>(surveys.targets(s.id()));
        List<OrgCode> again = h.actionRecipients().stream().filter(already::contains).toList();
        if (!again.isEmpty()) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "already asked by survey " + s.id() + ": "
                    + again.stream().map(OrgCode::value).collect(Collectors.joining(", ")));
        }
        List<Attachment> original = attachments(s.id());
        if (!original.equals(h.attachments())) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "the added offices must receive the survey's own letter: "
                    + "the attachments differ from those of " + s.id());
        }
        return new Addition(s.id(), h.actionRecipients());
    }

    private List<Attachment> attachments(UUID documentId) {
        return jdbc.query("SELECT name, declared_type, size FROM attachment WHERE document_id = ? ORDER BY index",
                (rs, i) -> new Attachment(rs.getString(1), rs.getString(2), rs.getLong(3)), documentId);
    }

    /**
     * Records the plan; call it in the transaction that stores the document. The survey's row is
     * locked and its state checked again, so a response and a withdrawal cannot cross.
     */
    public void record(Plan plan, UUID documentId, String submittedBy, Instant at) {
        switch (plan) {
            case Unrelated u -> { }
            case NewSurvey n -> {
                surveys.insert(documentId, n.requester(), n.deadline(), reminderBefore, at);
                surveys.addTargets(documentId, documentId, n.targets(), at);
                audit.record(submittedBy, AuditLog.Action.SURVEY_OPENED, documentId.toString(), AuditLog.Outcome.OK,
                        n.targets().size() + " targets, deadline " + n.deadline());
            }
            case Addition a -> {
                SurveyRepository.Survey s = surveys.lock(a.surveyId()).orElseThrow();
                if (s.withdrawn()) {
                    throw new ProtocolException(ErrorCode.SURVEY_WITHDRAWN, "survey " + s.id() + " was withdrawn; it takes no new targets");
                }
                surveys.addTargets(a.surveyId(), documentId, a.targets(), at);
                audit.record(submittedBy, AuditLog.Action.SURVEY_TARGETS_ADDED, a.surveyId().toString(), AuditLog.Outcome.OK,
                        a.targets().stream().map(OrgCode::value).collect(Collectors.joining(",")) + " by " + documentId);
            }
            case Response r -> {
                SurveyRepository.Survey s = surveys.lock(r.surveyId()).orElseThrow();
                if (s.withdrawn()) {
                    throw new ProtocolException(ErrorCode.SURVEY_WITHDRAWN, "survey " + s.id() + " was withdrawn by " + s.requester()
                            + "; it takes no more reports");
                }
                boolean onTime = !at.isAfter(s.deadline());
                surveys.respond(r.surveyId(), r.office(), documentId, at, onTime);
                audit.record(submittedBy, AuditLog.Action.SURVEY_RESPONSE, r.surveyId().toString(), AuditLog.Outcome.OK,
                        r.office() + " " + (onTime ? "on time" : "late") + " with " + documentId);
            }
        }
    }

    // --- the requester's view and acts ------------------------------------------------------------------------------

    /** The tracker, for staff of the requesting organization (or an administrator). */
    public SurveyTracker tracker(Staff caller, UUID id) {
        requireVisible(caller, id, false);
        SurveyTracker t = surveys.tracker(id, clock.instant()).orElseThrow(() -> notFound(id));
        tx.executeWithoutResult(s -> audit.record(caller.identity().toString(), AuditLog.Action.SURVEY_READ, id.toString(),
                AuditLog.Outcome.OK, ""));
        return t;
    }

    /** The caller's organization's surveys, newest first. */
    public List<SurveyRepository.Summary> list(Staff caller) {
        return surveys.requestedBy(caller.organization(), 200);
    }

    /** Reminds every target that has not responded, now; returns the offices reminded. */
    public List<OrgCode> remind(Staff caller, UUID id) {
        List<OrgCode> reminded = tx.execute(s -> {
            SurveyRepository.Survey survey = requireOpenForAct(caller, id);
            Instant now = clock.instant();
            boolean overdue = !now.isBefore(survey.deadline());
            List<SurveyRepository.Due> due = surveys.takeNonResponders(id, now, overdue);
            tell(due, overdue);
            audit.record(caller.identity().toString(), AuditLog.Action.SURVEY_REMINDED, id.toString(), AuditLog.Outcome.OK,
                    "asked by the requester: " + codes(due));
            return due.stream().map(SurveyRepository.Due::organization).toList();
        });
        notices.relay();
        return reminded;
    }

    /** Moves the deadline later; offices still to respond are told, and reminded again relative to it. */
    public SurveyTracker extend(Staff caller, UUID id, Instant deadline) {
        tx.executeWithoutResult(s -> {
            SurveyRepository.Survey survey = requireOpenForAct(caller, id);
            Instant now = clock.instant();
            if (!deadline.isAfter(survey.deadline()) || !deadline.isAfter(now)) {
                throw new ProtocolException(ErrorCode.SURVEY_INVALID, "an extension moves the deadline later than both now and the"
                        + " current deadline " + survey.deadline() + "; " + deadline + " is not");
            }
            surveys.extend(id, deadline);
            List<SurveyRepository.Due> told = surveys.targetsFor(id, true);
            told.forEach(d -> notices.create(d.organization(), Notice.Kind.SURVEY_EXTENDED, d.requestId(), d.requester(),
                    "截止时间延至 " + SurveyRepository.local(deadline, d.zone()) + "。The deadline is extended to "
                            + SurveyRepository.local(deadline, d.zone()) + ".", Optional.of(deadline)));
            audit.record(caller.identity().toString(), AuditLog.Action.SURVEY_EXTENDED, id.toString(), AuditLog.Outcome.OK,
                    survey.deadline() + " -> " + deadline + ", told " + told.size() + " offices");
        });
        notices.relay();
        return surveys.tracker(id, clock.instant()).orElseThrow();
    }

    /** Withdraws the survey: it takes no more reports, and every target office is told why. */
    public SurveyTracker withdraw(Staff caller, UUID id, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 1000) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "say why the survey is withdrawn (1 to 1000 characters)");
        }
        tx.executeWithoutResult(s -> {
            requireOpenForAct(caller, id);
            Instant now = clock.instant();
            surveys.withdraw(id, caller.identity().toString(), reason.strip(), now);
            List<SurveyRepository.Due> told = surveys.targetsFor(id, false);
            told.forEach(d -> notices.create(d.organization(), Notice.Kind.SURVEY_WITHDRAWN, d.requestId(), d.requester(),
                    "调研已撤回，无需再报送。The survey has been withdrawn; no report is needed. " + reason.strip(), Optional.empty()));
            audit.record(caller.identity().toString(), AuditLog.Action.SURVEY_WITHDRAWN, id.toString(), AuditLog.Outcome.OK,
                    reason.strip() + " (told " + told.size() + " offices)");
        });
        notices.relay();
        return surveys.tracker(id, clock.instant()).orElseThrow();
    }

    /** Sends the reminders that are due: before the deadline, and once it has passed. */
    @Scheduled(fixedDelayString = "${pouch.surveys.check-interval:PT1M}", initialDelayString = "PT5S")
    public void remindDue() {
        Instant now = clock.instant();
        int sent = tx.execute(s -> remind(surveys.takeDueReminders(now), false) + remind(surveys.takeOverdue(now), true));
        if (sent > 0) {
            log.info("sent {} survey reminders", sent);
            notices.relay();
        }
    }

    private int remind(List<SurveyRepository.Due> due, boolean overdue) {
        tell(due, overdue);
        Map<UUID, List<SurveyRepository.Due>> bySurvey = due.stream().collect(Collectors.groupingBy(SurveyRepository.Due::surveyId));
        bySurvey.forEach((survey, list) -> audit.record(Identity.exchange().toString(), AuditLog.Action.SURVEY_REMINDED, survey.toString(),
                AuditLog.Outcome.OK, (overdue ? "overdue: " : "before the deadline: ") + codes(list)));
        return due.size();
    }

    /** Queues a reminder notice (before the deadline, or overdue) to each office in {@code due}. */
    private void tell(List<SurveyRepository.Due> due, boolean overdue) {
        due.forEach(d -> notices.create(d.organization(), overdue ? Notice.Kind.SURVEY_OVERDUE : Notice.Kind.SURVEY_REMINDER,
                d.requestId(), d.requester(), reminderText(d, overdue), Optional.of(d.deadline())));
    }

    private static String reminderText(SurveyRepository.Due d, boolean overdue) {
        String local = SurveyRepository.local(d.deadline(), d.zone());
        return overdue
                ? "截止时间 " + local + " 已过，贵单位尚未报送调研报告，请尽快报送。The deadline " + local
                        + " has passed and your report has not arrived; please send it as soon as possible."
                : "请于 " + local + " 前报送调研报告。Please send your report by " + local + ".";
    }

    private static String codes(List<SurveyRepository.Due> due) {
        return due.size() + " offices " + due.stream().map(d -> d.organization().value()).collect(Collectors.joining(","));
    }

    /** The survey, locked, if the caller may act on it (requester's drafter or releaser) and it is open. */
    private SurveyRepository.Survey requireOpenForAct(Staff caller, UUID id) {
        requireVisible(caller, id, true);
        SurveyRepository.Survey s = surveys.lock(id).orElseThrow(() -> notFound(id));
        if (s.withdrawn()) {
            throw new ProtocolException(ErrorCode.SURVEY_WITHDRAWN, "survey " + id + " is already withdrawn");
        }
        return s;
    }

    private void requireVisible(Staff caller, UUID id, boolean act) {
        SurveyRepository.Survey s = surveys.find(id).orElseThrow(() -> notFound(id));
        boolean requester = s.requester().equals(caller.organization());
        if (!requester && !(caller.has(Role.ADMIN) && !act)) {
            throw notFound(id); // another organization's survey: not even its existence is told
        }
        if (act && !caller.has(Role.DRAFTER) && !caller.has(Role.RELEASER)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "acting on a survey needs the DRAFTER or RELEASER role");
        }
        if (!act && !caller.has(Role.READER) && !caller.has(Role.DRAFTER) && !caller.has(Role.RELEASER) && !caller.has(Role.ADMIN)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "reading a survey needs the READER, DRAFTER or RELEASER role");
        }
    }

    private static ProtocolException notFound(UUID id) {
        return new ProtocolException(ErrorCode.NOT_FOUND, "no survey " + id + " of your organization");
    }
}
