package dev.pouch.client.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's verdict on correctness: every document sent was stored exactly once by every office
 * it was addressed to, by no other, unaltered, and every receipt was accepted; and each office's
 * inbox on disk agrees. {@code failures} counts refused or failed sends and documents of this run
 * that nobody sent; {@code foreign} documents (from earlier runs or real use) are only counted.
 */
record Check(long documents, long expectedDeliveries, long stored, long receipted, long onDisk, long duplicates, long misrouted,
        long corrupted, long missing, long missingReceipts, long failures, long foreign, List<String> problems) {

    boolean passed() {
        return duplicates == 0 && misrouted == 0 && corrupted == 0 && missing == 0 && missingReceipts == 0 && failures == 0
                && stored == expectedDeliveries && receipted == expectedDeliveries && onDisk == expectedDeliveries;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", passed());
        m.put("documents", documents);
        m.put("expectedDeliveries", expectedDeliveries);
        m.put("storedOnce", stored);
        m.put("receiptsAccepted", receipted);
        m.put("inInboxesOnDisk", onDisk);
        m.put("duplicates", duplicates);
        m.put("misrouted", misrouted);
        m.put("corrupted", corrupted);
        m.put("missing", missing);
        m.put("missingReceipts", missingReceipts);
        m.put("failedSends", failures);
        m.put("foreignDocuments", foreign);
        m.put("problems", problems);
        return m;
    }
}
