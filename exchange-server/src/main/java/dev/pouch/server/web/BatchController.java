package dev.pouch.server.web;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.batch.BatchService;
import dev.pouch.server.directory.Staff;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Batch tracking over HTTPS with a staff certificate: how far a batch has come, per addressed
 * office. Staff of the issuing organization (any role) and administrators see it; to anyone else
 * it does not exist.
 */
@RestController
@RequestMapping("/api/batches")
class BatchController {

    /** A batch and, per addressed office, how much of it that office has received. */
    record BatchView(UUID id, String issuer, int size, long accepted, Instant createdAt, boolean complete, Totals totals,
            List<Office> offices) {

        record Totals(long officesAddressed, long officesComplete, long deliveriesAddressed, long deliveriesDelivered,
                long deliveriesSignedFor) {
        }

        record Office(String organization, String region, long addressed, long delivered, long signedFor, boolean complete) {
        }

        static BatchView of(BatchService.View v) {
            return new BatchView(v.id(), v.issuer(), v.size(), v.accepted(), v.createdAt(), v.complete(),
                    new Totals(v.officesAddressed(), v.officesComplete(), v.deliveriesAddressed(), v.deliveriesDelivered(),
                            v.deliveriesSignedFor()),
                    v.offices().stream().map(o -> new Office(o.organization(), o.region(), o.addressed(), o.delivered(),
                            o.signedFor(), o.complete())).toList());
        }
    }

    /** The batches of one organization, newest first. */
    record BatchList(String issuer, List<BatchService.Summary> batches) {
    }

    private final Callers callers;
    private final BatchService batches;

    BatchController(Callers callers, BatchService batches) {
        this.callers = callers;
        this.batches = batches;
    }

    @GetMapping("/{id}")
    BatchView view(@PathVariable UUID id, HttpServletRequest request) {
        Staff caller = callers.require(request);
        return BatchView.of(batches.view(caller, id));
    }

    /** The caller's organization's batches; an administrator may name another with {@code issuer}. */
    @GetMapping
    BatchList list(@RequestParam(required = false) String issuer, @RequestParam(defaultValue = "50") int limit,
            HttpServletRequest request) {
        Staff caller = callers.require(request);
        OrgCode org = caller.organization();
        if (issuer != null && !issuer.isBlank()) {
            if (!OrgCode.isValid(issuer)) {
                throw new ProtocolException(ErrorCode.INVALID_REQUEST, "'" + issuer + "' is not an organization code");
            }
            org = OrgCode.of(issuer);
        }
        if (limit < 1 || limit > BatchService.MAX_LISTED) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "limit is from 1 to " + BatchService.MAX_LISTED);
        }
        return new BatchList(org.value(), batches.list(caller, org, limit));
    }
}
