package dev.pouch.client;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * How far a batch has come, as the exchange tracks it ({@code GET /api/batches/{id}}): documents
 * accepted of those declared, and per addressed office how many were addressed to it, delivered
 * to it and signed for; an office is complete when it has received the whole batch.
 */
public record BatchStatus(UUID id, String issuer, int size, long accepted, Instant createdAt, boolean complete,
        long officesAddressed, long officesComplete, long deliveriesAddressed, long deliveriesDelivered, long deliveriesSignedFor,
        List<Office> offices) {

    /** One addressed office's share of the batch. */
    public record Office(String organization, String region, long addressed, long delivered, long signedFor, boolean complete) {
    }

    /** One batch of a listing. */
    public record Summary(UUID id, String issuer, int size, long accepted, Instant createdAt, long deliveriesAddressed,
            long deliveriesDelivered) {
    }

    public BatchStatus {
        offices = List.copyOf(offices);
    }

    /** Asks the exchange; a batch that is not the caller's organization's is refused as NOT_FOUND. */
    public static BatchStatus fetch(ExchangeApi api, UUID id) {
        return of(api.get("/api/batches/" + id));
    }

    /** The caller's organization's batches, newest first. */
    public static List<Summary> list(ExchangeApi api, int limit) {
        JsonNode list = api.get("/api/batches?limit=" + limit);
        List<Summary> out = new ArrayList<>();
        for (JsonNode b : list.path("batches")) {
            out.add(new Summary(UUID.fromString(b.path("id").asString()), b.path("issuer").asString(), b.path("size").asInt(),
                    b.path("accepted").asLong(), Instant.parse(b.path("createdAt").asString()), b.path("deliveriesAddressed").asLong(),
                    b.path("deliveriesDelivered").asLong()));
        }
        return out;
    }

    static BatchStatus of(JsonNode v) {
        try {
            List<Office> offices = new ArrayList<>();
            for (JsonNode o : v.path("offices")) {
                offices.add(new Office(o.path("organization").asString(), o.path("region").asString(), o.path("addressed").asLong(),
                        o.path("delivered").asLong(), o.path("signedFor").asLong(), o.path("complete").asBoolean()));
            }
            JsonNode t = v.path("totals");
            return new BatchStatus(UUID.fromString(v.path("id").asString()), v.path("issuer").asString(), v.path("size").asInt(),
                    v.path("accepted").asLong(), Instant.parse(v.path("createdAt").asString()), v.path("complete").asBoolean(),
                    t.path("officesAddressed").asLong(), t.path("officesComplete").asLong(), t.path("deliveriesAddressed").asLong(),
                    t.path("deliveriesDelivered").asLong(), t.path("deliveriesSignedFor").asLong(), offices);
        } catch (RuntimeException e) {
            throw new ClientException(ClientException.Kind.REFUSED, dev.pouch.protocol.ErrorCode.INTERNAL_ERROR,
                    "the exchange's batch view is not what this client reads: " + e.getMessage(), e);
        }
    }
}
