package dev.pouch.crypto.internal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * Object identifiers Pouch defines. They hang under a UUID-derived arc ({@code 2.25.<uuid>},
 * ITU-T X.667), which needs no registration and cannot collide with anyone else's.
 */
public final class PouchOids {

    /** 2.25 arc for UUID 3504a671-2f9a-4ad0-9a6b-eeb36ad62fe0. */
    public static final ASN1ObjectIdentifier ARC =
            new ASN1ObjectIdentifier("2.25.70473228811543574204570040061364940768");

    /** The security policy under which {@code Classification} values are assigned in ESS labels. */
    public static final ASN1ObjectIdentifier SECURITY_POLICY = ARC.branch("1").intern();

    /** Signed attribute carrying the {@code DocumentHeader}. */
    public static final ASN1ObjectIdentifier ATTR_DOCUMENT_HEADER = ARC.branch("2.1").intern();

    /** eContentType of a large document's main part: the signed part manifest. */
    public static final ASN1ObjectIdentifier CT_PART_MANIFEST = ARC.branch("3.1").intern();

    private PouchOids() {
    }
}
