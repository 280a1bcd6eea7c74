package dev.pouch.server.web.console;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.survey.Compilation;
import dev.pouch.server.survey.SurveyCompiler;
import dev.pouch.server.survey.SurveyService;
import dev.pouch.server.survey.SurveyTracker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;

/**
 * Surveys for their requester: the list, the tracker (target offices × state, in colour, with a
 * countdown to the deadline and the deadline in each office's own zone; the table refreshes itself
 * with htmx), a reminder to those who have not answered, and the compilation download. Access and
 * audit are the survey service's and compiler's, as over REST.
 */
@Controller
class SurveyPagesController {

    private final ConsoleAccess access;
    private final SurveyService surveys;
    private final SurveyCompiler compiler;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    SurveyPagesController(ConsoleAccess access, SurveyService surveys, SurveyCompiler compiler, AuditLog audit,
            TransactionTemplate tx) {
        this.access = access;
        this.surveys = surveys;
        this.compiler = compiler;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping("/console/surveys")
    String list(HttpServletRequest request, Model model) {
        Staff me = access.require(request);
        model.addAttribute("surveys", surveys.list(me));
        tx.executeWithoutResult(s -> audit.record(me.identity().toString(), AuditLog.Action.SURVEY_READ, me.organization().value(),
                AuditLog.Outcome.OK, "console, survey list"));
        return "console/surveys";
    }

    @GetMapping("/console/surveys/{id}")
    String tracker(@PathVariable UUID id, @RequestParam(required = false) String fragment, HttpServletRequest request, Model model) {
        Staff me = access.require(request);
        SurveyTracker t = surveys.tracker(me, id);
        model.addAttribute("t", t);
        model.addAttribute("maySend", me.has(Role.RELEASER) || me.has(Role.DRAFTER));
        model.addAttribute("mayCompile", me.has(Role.READER) || me.has(Role.DRAFTER) || me.has(Role.RELEASER));
        return "table".equals(fragment) ? "console/tracker :: table" : "console/tracker";
    }

    @PostMapping("/console/surveys/{id}/remind")
    String remind(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        Staff me = access.require(request);
        List<OrgCode> reminded = surveys.remind(me, id);
        redirect.addFlashAttribute("reminded", reminded.size());
        return "redirect:/console/surveys/" + id;
    }

    @GetMapping("/console/surveys/{id}/compilation")
    void compilation(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Staff me = access.require(request, Role.READER, Role.DRAFTER, Role.RELEASER);
        try (Compilation c = compiler.compile(me, id)) {
            response.setContentType("application/zip");
            response.setContentLengthLong(c.size());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment().filename(c.fileName(), StandardCharsets.UTF_8).build().toString());
            response.setHeader("X-Pouch-Classification", c.manifest().classification().name());
            response.setHeader("X-Pouch-Sha256", c.sha256());
            try (OutputStream out = response.getOutputStream()) {
                Files.copy(c.file(), out);
            }
        }
    }
}
