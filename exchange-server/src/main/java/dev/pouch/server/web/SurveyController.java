package dev.pouch.server.web;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.survey.SurveyRepository;
import dev.pouch.server.survey.SurveyService;
import dev.pouch.server.survey.SurveyTracker;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * Surveys for their requester, over HTTPS with a staff certificate: the list, the tracker, and the
 * acts (remind, extend, withdraw). A survey is opened, and targets are added, by sending a
 * {@code SURVEY_REQUEST} document over the exchange protocol — signed and sealed end to end.
 */
@RestController
@RequestMapping("/api/surveys")
class SurveyController {

    record Extension(String deadline) {
    }

    record Withdrawal(String reason) {
    }

    record Reminded(UUID surveyId, List<String> offices) {
    }

    private final Callers callers;
    private final SurveyService surveys;

    SurveyController(Callers callers, SurveyService surveys) {
        this.callers = callers;
        this.surveys = surveys;
    }

    @GetMapping
    List<SurveyRepository.Summary> list(HttpServletRequest request) {
        Staff caller = callers.require(request);
        return surveys.list(caller);
    }

    @GetMapping("/{id}")
    SurveyTracker tracker(@PathVariable UUID id, HttpServletRequest request) {
        return surveys.tracker(callers.require(request), id);
    }

    @PostMapping("/{id}/remind")
    Reminded remind(@PathVariable UUID id, HttpServletRequest request) {
        List<OrgCode> reminded = surveys.remind(callers.require(request), id);
        return new Reminded(id, reminded.stream().map(OrgCode::value).toList());
    }

    @PostMapping("/{id}/extend")
    SurveyTracker extend(@PathVariable UUID id, @RequestBody Extension body, HttpServletRequest request) {
        Staff caller = callers.require(request);
        if (body == null || body.deadline() == null) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "give the new deadline, e.g. {\"deadline\":\"2026-12-31T10:00:00Z\"}");
        }
        Instant deadline;
        try {
            deadline = Instant.parse(body.deadline());
        } catch (DateTimeParseException e) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "'" + body.deadline()
                    + "' is not an instant such as 2026-12-31T10:00:00Z");
        }
        return surveys.extend(caller, id, deadline);
    }

    @PostMapping("/{id}/withdraw")
    SurveyTracker withdraw(@PathVariable UUID id, @RequestBody Withdrawal body, HttpServletRequest request) {
        return surveys.withdraw(callers.require(request), id, body == null ? null : body.reason());
    }
}
