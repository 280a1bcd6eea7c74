package dev.pouch.server.stats;

/**
 * The figures of one unit (or a group of units) for one period. Documents count by their
 * acceptance time, survey targets by their survey's creation time; see {@code docs/statistics.md}.
 *
 * @param units                 organizations in the row (1 for an organization's row)
 * @param sent                  documents the unit issued
 * @param received              documents addressed to it, as action or information recipient
 * @param delivered             of those, how many its client has received by now
 * @param actionItems           documents where it is an action recipient (主送), except requests of a withdrawn
 *                              survey it had not answered
 * @param replied               of those, how many it answered: a reply (state REPLIED), or a survey response
 * @param replyRate             replied / actionItems; null without action items
 * @param surveysAsked          its survey targets: surveys addressed to it (unless withdrawn before it answered)
 * @param surveysAnswered       of those, how many it responded to
 * @param answeredOnTime        of those, how many responses came by the deadline
 * @param onTimeRate            answeredOnTime / surveysAnswered; null without answers
 * @param medianResponseSeconds median of (first response − delivery of the request, or its acceptance if no delivery
 *                              was recorded) over answered targets; null without answers
 * @param surveysSent           surveys it requested
 * @param surveyTargets         targets of those surveys (same rule as surveysAsked)
 * @param surveyResponses       of those, how many responded
 * @param surveyResponseRate    surveyResponses / surveyTargets; null without targets
 */
public record Figures(long units, long sent, long received, long delivered, long actionItems, long replied, Double replyRate,
        long surveysAsked, long surveysAnswered, long answeredOnTime, Double onTimeRate, Double medianResponseSeconds,
        long surveysSent, long surveyTargets, long surveyResponses, Double surveyResponseRate) {

    /** The figures of the counts, with their rates. */
    public static Figures of(long units, long sent, long received, long delivered, long actionItems, long replied,
            long surveysAsked, long surveysAnswered, long answeredOnTime, Double medianResponseSeconds, long surveysSent,
            long surveyTargets, long surveyResponses) {
        return new Figures(units, sent, received, delivered, actionItems, replied, ratio(replied, actionItems), surveysAsked,
                surveysAnswered, answeredOnTime, ratio(answeredOnTime, surveysAnswered), medianResponseSeconds, surveysSent,
                surveyTargets, surveyResponses, ratio(surveyResponses, surveyTargets));
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
