package dev.pouch.server.survey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A survey as its requester follows it: the survey, counts per state, and every target office with
 * its state and times. The deadline is shown to each office in its own time zone.
 */
public record SurveyTracker(UUID id, String number, String subject, String requester, String classification, String state,
        Instant createdAt, Instant deadline, Instant originalDeadline, Duration reminderBefore, Instant withdrawnAt,
        String withdrawnBy, String withdrawalReason, Counts counts, List<Target> targets) {

    /** Where a target office stands. */
    public enum TargetState {
        /** Queued for the office, not yet on its machine. */
        NOT_DELIVERED,
        /** On the office's machine (its client acknowledged and receipted it). */
        DELIVERED,
        /** A person at the office signed for it (签收). */
        SIGNED_FOR,
        /** The office's report arrived by the deadline. */
        RESPONDED_ON_TIME,
        /** The office's report arrived after the deadline. */
        RESPONDED_LATE,
        /** The deadline passed without a report. */
        OVERDUE
    }

    public record Counts(int targets, int notDelivered, int delivered, int signedFor, int respondedOnTime, int respondedLate,
            int overdue) {

        public int responded() {
            return respondedOnTime + respondedLate;
        }

        public int noResponse() {
            return targets - responded();
        }

        static Counts of(List<Target> targets) {
            int[] n = new int[TargetState.values().length];
            targets.forEach(t -> n[t.state().ordinal()]++);
            return new Counts(targets.size(), n[0], n[1], n[2], n[3], n[4], n[5]);
        }
    }

    /**
     * One target office.
     *
     * @param deliveryState the request's delivery state for the office (QUEUED, DELIVERED, SIGNED_FOR, REPLIED)
     * @param deadlineLocal the deadline in the office's own time zone, e.g. "2026-12-01 11:00 CET (Europe/Paris)"
     */
    public record Target(String organization, String nameZh, String nameEn, String region, String timezone, TargetState state,
            String deliveryState, UUID requestId, Instant addedAt, Instant deliveredAt, Instant signedForAt, String signedForBy,
            UUID responseId, String responseNumber, String responder, Instant respondedAt, Boolean onTime, int responses,
            Instant remindedAt, Instant overdueRemindedAt, String deadlineLocal) {
    }
}
