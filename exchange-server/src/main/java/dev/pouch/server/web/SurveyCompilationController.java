package dev.pouch.server.web;

import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.survey.Compilation;
import dev.pouch.server.survey.SurveyCompiler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

/**
 * {@code GET /api/surveys/{id}/compilation}: the survey's compilation package (zip), for staff of
 * the requesting organization. It is built in a temporary file first, so a refusal arrives as the
 * usual JSON error and never as half a zip.
 */
@RestController
@RequestMapping("/api/surveys")
class SurveyCompilationController {

    private final Callers callers;
    private final SurveyCompiler compiler;

    SurveyCompilationController(Callers callers, SurveyCompiler compiler) {
        this.callers = callers;
        this.compiler = compiler;
    }

    @GetMapping("/{id}/compilation")
    void compilation(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Staff caller = callers.require(request, Role.READER, Role.DRAFTER, Role.RELEASER);
        try (Compilation c = compiler.compile(caller, id)) {
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
