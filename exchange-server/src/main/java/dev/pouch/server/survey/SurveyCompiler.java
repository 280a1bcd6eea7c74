package dev.pouch.server.survey;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.UploadStore;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.survey.CompilationManifest.Office;
import dev.pouch.server.survey.CompilationManifest.Response;
import dev.pouch.server.survey.CompilationManifest.State;
import dev.pouch.server.survey.CompilationRepository.ResponseRow;
import dev.pouch.server.survey.CompilationRepository.TargetRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipOutputStream;

/**
 * Compiles a survey (汇总) into one zip package for its requesting department: every response's
 * sealed original (the evidence), the attachments opened with the archive key, a manifest (CSV
 * and JSON) and a consolidated report (.docx). On time or late is what the exchange recorded when
 * it accepted each response — the exchange is the timekeeper, not the offices' clocks.
 *
 * <p>Only staff of the requesting organization may compile; to anyone else the survey does not
 * exist. The package is written to a temporary file (never held in memory: originals are copied
 * a chunk at a time, parted responses decrypted a part at a time), at most {@value #CONCURRENT} at
 * once, and every compilation is audited with the package's digest.
 */
@Service
public class SurveyCompiler {

    private static final Logger log = LoggerFactory.getLogger(SurveyCompiler.class);

    /** Characters of each response's extracted text quoted in the report. */
    static final int EXCERPT = 3000;
    static final int CONCURRENT = 2;

    private final CompilationRepository repository;
    private final CompilationEvidence evidence;
    private final Directory directory;
    private final AuditLog audit;
    private final Clock clock;
    private final Path workDir;
    private final Semaphore running = new Semaphore(CONCURRENT);

    SurveyCompiler(CompilationRepository repository, BlobStore blobs, DocumentRepository documents, Directory directory,
            AuditLog audit, Clock clock, ExchangePki pki, PouchProperties properties) {
        this.repository = repository;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
        CmsOpener archive = CmsOpener.builder().recipient(pki.archive()).validator(pki.validator())
                .maxSealedSize(UploadStore.MAX_OBJECT).build();
        this.evidence = new CompilationEvidence(blobs, documents, repository, archive);
        this.workDir = properties.dataDir().resolve("tmp").resolve("compilations");
        prepareWorkDir();
    }

    /** The work folder, readable by the server alone, emptied of packages a crash left behind. */
    private void prepareWorkDir() {
        try {
            Files.createDirectories(workDir);
            try {
                Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // the data directory's own permissions protect it
            }
            try (Stream<Path> stale = Files.list(workDir)) {
                for (Path p : stale.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + workDir, e);
        }
    }

    /** Compiles survey {@code surveyId} for {@code caller}; the caller closes the result (deleting its file). */
    public Compilation compile(Staff caller, UUID surveyId) {
        String actor = caller.identity().toString();
        var survey = repository.survey(surveyId).filter(s -> s.requester().equals(caller.organization().value()));
        if (survey.isEmpty()) {
            audit.record(actor, AuditLog.Action.SURVEY_COMPILED, surveyId.toString(), AuditLog.Outcome.REFUSED, "NOT_FOUND");
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no survey " + surveyId + " of " + caller.organization());
        }
        boolean acquired = false;
        try {
            acquired = running.tryAcquire(30, TimeUnit.SECONDS);
            if (!acquired) {
                throw new ProtocolException(ErrorCode.BUSY, CONCURRENT + " compilations are running; try again in a minute");
            }
            Compilation c = build(caller, survey.get());
            var counts = c.manifest().counts();
            audit.record(actor, AuditLog.Action.SURVEY_COMPILED, surveyId.toString(), AuditLog.Outcome.OK,
                    survey.get().number() + ": " + counts.targets() + " targets, " + counts.onTime() + " on time, "
                            + counts.late() + " late, " + counts.noResponse() + " no response; "
                            + c.manifest().offices().stream().mapToInt(o -> o.responses().size()).sum() + " responses; "
                            + c.size() + " bytes, sha256 " + c.sha256());
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProtocolException(ErrorCode.SHUTTING_DOWN, "interrupted");
        } catch (ProtocolException e) {
            audit.record(actor, AuditLog.Action.SURVEY_COMPILED, surveyId.toString(),
                    e.code() == ErrorCode.INTERNAL_ERROR ? AuditLog.Outcome.FAILED : AuditLog.Outcome.REFUSED,
                    e.code().name() + ": " + e.detail());
            throw e;
        } finally {
            if (acquired) {
                running.release();
            }
        }
    }

    private Compilation build(Staff caller, CompilationRepository.SurveyRow s) {
        List<TargetRow> targets = repository.targets(s.id());
        Map<String, List<ResponseRow>> byOffice = new LinkedHashMap<>();
        for (ResponseRow r : repository.responses(s.id(), s.requester(), EXCERPT)) {
            byOffice.computeIfAbsent(r.issuer(), k -> new ArrayList<>()).add(r);
            if (!r.classification().isWithin(caller.clearance())) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "a response is " + r.classification()
                        + ", above your clearance " + caller.clearance());
            }
        }
        if (!s.classification().isWithin(caller.clearance())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "the survey is " + s.classification()
                    + ", above your clearance " + caller.clearance());
        }
        Instant now = clock.instant();
        Path file;
        try {
            file = Files.createTempFile(workDir, "compilation-", ".zip");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in " + workDir, e);
        }
        MessageDigest sha = sha256();
        try {
            CompilationManifest manifest;
            try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), sha);
                    ZipOutputStream zip = new ZipOutputStream(out)) {
                List<Office> offices = new ArrayList<>();
                for (TargetRow t : targets) {
                    offices.add(office(zip, s, t, byOffice.getOrDefault(t.organization(), List.of())));
                }
                manifest = new CompilationManifest(survey(s), now, caller.identity().toString(), offices);
                OutputStream entry = unclosable(zip); // the writers must not close the package
                CompilationEvidence.entry(zip, "manifest.json", Deflater.DEFAULT_COMPRESSION);
                CompilationManifestWriter.writeJson(manifest, entry);
                zip.closeEntry();
                CompilationEvidence.entry(zip, "manifest.csv", Deflater.DEFAULT_COMPRESSION);
                CompilationManifestWriter.writeCsv(manifest, entry);
                zip.closeEntry();
                CompilationEvidence.entry(zip, "report.docx", Deflater.DEFAULT_COMPRESSION);
                CompilationReportWriter.write(manifest, entry);
                zip.closeEntry();
            }
            return new Compilation(file, fileName(s.number()), Files.size(file), HexFormat.of().formatHex(sha.digest()), manifest);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next start empties the folder
            }
            if (e instanceof ProtocolException pe) {
                throw pe;
            }
            log.warn("compiling survey {} failed", s.id(), e);
            throw new ProtocolException(ErrorCode.INTERNAL_ERROR, "the compilation could not be written");
        }
    }

    private Office office(ZipOutputStream zip, CompilationRepository.SurveyRow s, TargetRow t, List<ResponseRow> rows)
            throws IOException {
        Optional<Organization> org = directory.find(OrgCode.of(t.organization()));
        Set<String> names = new HashSet<>();
        List<Response> responses = new ArrayList<>();
        for (ResponseRow r : rows) {
            boolean onTime = t.responseId().filter(r.id()::equals).flatMap(x -> t.onTime())
                    .orElse(!r.acceptedAt().isAfter(s.deadline()));
            responses.add(evidence.write(zip, r, onTime, names));
        }
        State state = t.responseId().isEmpty() ? State.NO_RESPONSE
                : t.onTime().orElse(false) ? State.RESPONDED_ON_TIME : State.RESPONDED_LATE;
        return new Office(t.organization(), org.map(Organization::nameZh).orElse(""), org.map(Organization::nameEn).orElse(""),
                org.map(o -> o.region().name()).orElse(""), org.map(Organization::timezone).orElse(ZoneOffset.UTC), state,
                t.respondedAt(), t.deliveryState(), t.signedForAt(), t.requestId(), responses);
    }

    private static CompilationManifest.Survey survey(CompilationRepository.SurveyRow s) {
        return new CompilationManifest.Survey(s.id(), s.number(), s.subject(), s.requester(), s.classification(), s.sentAt(),
                s.deadline(), s.originalDeadline(), "WITHDRAWN".equals(s.state()), s.withdrawnAt(), s.withdrawnBy(),
                s.withdrawalReason());
    }

    /** {@code compilation-<number>.zip}, the number's letters and digits kept (Chinese included), the rest as '-'. */
    static String fileName(String number) {
        StringBuilder b = new StringBuilder("compilation-");
        number.codePoints().forEach(cp -> b.appendCodePoint(Character.isLetterOrDigit(cp) ? cp : '-'));
        return b.toString().replaceAll("-{2,}", "-").replaceAll("-$", "") + ".zip";
    }

    private static OutputStream unclosable(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
