package dev.pouch.server.web.console;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Region;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The send form. The exchange cannot seal a document: sealing needs the sending organization's
 * private signing key, which only its client holds (docs/adr/0009). So the form checks the letter
 * as the exchange would (number, subject, classification within the ceiling, recipients known) and
 * prepares the {@code pouch send} command that seals and sends it on the drafter's own machine.
 * Nothing is stored or sent by this form.
 */
@Controller
class SendController {

    private final ConsoleAccess access;
    private final Directory directory;
    private final Classification ceiling;

    SendController(ConsoleAccess access, Directory directory, PouchProperties properties) {
        this.access = access;
        this.directory = directory;
        this.ceiling = properties.ceiling();
    }

    @GetMapping("/console/send")
    String form(HttpServletRequest request, Model model) {
        access.require(request, Role.DRAFTER, Role.RELEASER);
        options(model);
        return "console/send";
    }

    @PostMapping("/console/send")
    String prepare(@RequestParam String number, @RequestParam String subject, @RequestParam DocumentType type,
            @RequestParam Classification classification, @RequestParam Precedence precedence, @RequestParam String to,
            @RequestParam(defaultValue = "") String cc, @RequestParam(defaultValue = "") String deadline,
            @RequestParam(defaultValue = "") String files, HttpServletRequest request, Model model) {
        Staff me = access.require(request, Role.DRAFTER, Role.RELEASER);
        if (number.isBlank() || number.length() > 100) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "give a document number (文号) of at most 100 characters");
        }
        if (subject.isBlank() || subject.length() > 500) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "give a subject of at most 500 characters");
        }
        if (!classification.isWithin(ceiling)) {
            throw new ProtocolException(ErrorCode.CLASSIFICATION_ABOVE_CEILING, classification + " is above this exchange's ceiling "
                    + ceiling);
        }
        List<String> action = recipients(to, me);
        List<String> information = recipients(cc, me);
        if (action.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "name at least one action recipient (主送)");
        }
        String when = deadline.strip();
        if (!when.isEmpty()) {
            checkDeadline(when);
        } else if (type == DocumentType.SURVEY_REQUEST) {
            throw new ProtocolException(ErrorCode.SURVEY_INVALID, "a survey letter needs a deadline");
        }
        List<String> fileNames = Arrays.stream(files.split("[\\n,]")).map(String::strip).filter(f -> !f.isEmpty()).toList();
        if (fileNames.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "name the file(s) to send, e.g. letter.pdf");
        }
        List<String> command = new ArrayList<>(List.of("pouch", "send", "--number", number.strip(), "--subject", subject.strip(),
                "--type", type.name(), "--classification", classification.name(), "--precedence", precedence.name(),
                "--to", String.join(",", action)));
        if (!information.isEmpty()) {
            command.addAll(List.of("--cc", String.join(",", information)));
        }
        if (!when.isEmpty()) {
            command.addAll(List.of("--deadline", when));
        }
        command.addAll(fileNames);
        options(model);
        model.addAttribute("command", String.join(" ", command.stream().map(SendController::shellQuote).toList()));
        model.addAttribute("recipientCount", action.size() + information.size());
        model.addAttribute("form", new Form(number, subject, type.name(), classification.name(), precedence.name(), to, cc, deadline,
                files));
        return "console/send";
    }

    /** What was typed, to show the form again. */
    record Form(String number, String subject, String type, String classification, String precedence, String to, String cc,
            String deadline, String files) {
    }

    private void options(Model model) {
        model.addAttribute("types", DocumentType.values());
        model.addAttribute("classifications", Arrays.stream(Classification.values()).filter(c -> c.isWithin(ceiling)).toList());
        model.addAttribute("precedences", Precedence.values());
        model.addAttribute("ceiling", ceiling.name());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new Form("", "", "NOTICE", ceiling.name(), "ROUTINE", "", "", "", ""));
        }
    }

    /** Codes, {@code region:X} or {@code all}, as the client takes them; unknown ones are refused. */
    private List<String> recipients(String text, Staff me) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : text.split("[\\s,，;；]+")) {
            String r = raw.strip();
            if (r.isEmpty()) {
                continue;
            }
            if (r.equalsIgnoreCase("all")) {
                out.add("all");
            } else if (r.toLowerCase(Locale.ROOT).startsWith("region:")) {
                String region = r.substring("region:".length()).toUpperCase(Locale.ROOT);
                if (Arrays.stream(Region.values()).noneMatch(x -> x.name().equals(region))) {
                    throw new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, "no region " + region);
                }
                out.add("region:" + region);
            } else {
                String code = r.toUpperCase(Locale.ROOT);
                if (!OrgCode.isValid(code) || !directory.exists(OrgCode.of(code))) {
                    throw new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, r + " is not an organization of this exchange");
                }
                if (code.equals(me.organization().value())) {
                    throw new ProtocolException(ErrorCode.INVALID_REQUEST, "a document is not sent to its own sender");
                }
                out.add(directory.find(OrgCode.of(code)).map(Organization::code).map(OrgCode::value).orElse(code));
            }
        }
        return List.copyOf(out);
    }

    private static void checkDeadline(String when) {
        try {
            if (when.endsWith("Z")) {
                java.time.Instant.parse(when);
            } else if (when.length() == 10) {
                LocalDate.parse(when);
            } else {
                OffsetDateTime.parse(when);
            }
        } catch (DateTimeParseException e) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "'" + when + "' is not a deadline such as 2026-12-31, "
                    + "2026-12-31T18:00+01:00 or 2026-12-31T10:00:00Z");
        }
    }

    /** One shell word: plain if safe, else in single quotes. */
    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:,=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
