package dev.pouch.server.survey;

import dev.pouch.crypto.document.Classification;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a survey compilation (汇总) says: the survey, every target office with its state, and each
 * office's responses with where their evidence lies in the package. The manifest files and the
 * report are both written from it, so they cannot disagree.
 */
public record CompilationManifest(Survey survey, Instant compiledAt, String compiledBy, List<Office> offices) {

    public CompilationManifest {
        Objects.requireNonNull(survey, "survey");
        Objects.requireNonNull(compiledAt, "compiledAt");
        offices = List.copyOf(offices);
    }

    /** The survey as its signed header and the exchange's record give it. */
    public record Survey(UUID id, String number, String subject, String requester, Classification classification,
            Instant sentAt, Instant deadline, Instant originalDeadline, boolean withdrawn, Optional<Instant> withdrawnAt,
            Optional<String> withdrawnBy, Optional<String> withdrawalReason) {
    }

    /** Where a target office stands. */
    public enum State { RESPONDED_ON_TIME, RESPONDED_LATE, NO_RESPONSE }

    /**
     * One target office. {@code deliveryState} is its state for the request it received
     * (QUEUED, DELIVERED, SIGNED_FOR, REPLIED), what tells an office that never got the survey
     * from one that got it and did not answer.
     */
    public record Office(String code, String nameZh, String nameEn, String region, ZoneId zone, State state,
            Optional<Instant> respondedAt, String deliveryState, Optional<Instant> signedForAt, UUID requestId,
            List<Response> responses) {

        public Office {
            responses = List.copyOf(responses);
        }

        /** The first response (the one that counts for on time or late), if any. */
        public Optional<Response> first() {
            return responses.stream().min(Comparator.comparing(Response::acceptedAt));
        }
    }

    /**
     * A response document. {@code excerpt} is the start of the text extracted at acceptance,
     * {@code textLength} its full length in characters.
     */
    public record Response(UUID id, String number, String subject, Classification classification, String responder,
            String responderName, Instant acceptedAt, boolean onTime, String sha256, long sealedSize, Signature signature,
            String original, List<String> parts, List<AttachmentEntry> attachments, String excerpt, int textLength,
            boolean textTruncatedAtAcceptance) {

        public Response {
            parts = List.copyOf(parts);
            attachments = List.copyOf(attachments);
        }
    }

    /** Whether the response's signature and its signer's certificate chain verified, as of its acceptance. */
    public record Signature(boolean valid, String signer, String detail) {
        public String status() {
            return valid ? "VALID" : "INVALID";
        }
    }

    /** An opened attachment and its path in the package ({@code null} path when it could not be opened). */
    public record AttachmentEntry(String name, String mediaType, String detectedType, long size, String path) {
    }

    /** The counts of the response-rate table. */
    public record Counts(int targets, int onTime, int late, int noResponse) {
        /** Responses (on time or late) per target, 0 to 1. */
        public double rate() {
            return targets == 0 ? 0 : (double) (onTime + late) / targets;
        }
    }

    public Counts counts() {
        int onTime = (int) offices.stream().filter(o -> o.state() == State.RESPONDED_ON_TIME).count();
        int late = (int) offices.stream().filter(o -> o.state() == State.RESPONDED_LATE).count();
        return new Counts(offices.size(), onTime, late, offices.size() - onTime - late);
    }

    /** The highest classification of the survey and its responses: what the package is classified as. */
    public Classification classification() {
        Classification highest = survey.classification();
        for (Office o : offices) {
            for (Response r : o.responses()) {
                if (!r.classification().isWithin(highest)) {
                    highest = r.classification();
                }
            }
        }
        return highest;
    }
}
