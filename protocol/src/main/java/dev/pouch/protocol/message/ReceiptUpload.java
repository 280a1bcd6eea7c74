package dev.pouch.protocol.message;

import com.google.protobuf.ByteString;

import java.util.Objects;
import java.util.UUID;

/** Client to server: the ESS signed receipt for a delivered document. */
public record ReceiptUpload(UUID documentId, ByteString receipt) implements Message {

    public static final int MAX_RECEIPT = 64 * 1024;

    public ReceiptUpload {
        Objects.requireNonNull(documentId);
        Checks.require(receipt != null && !receipt.isEmpty() && receipt.size() <= MAX_RECEIPT,
                "a receipt is 1 to " + MAX_RECEIPT + " bytes");
    }
}
