package dev.pouch.protocol.message;

import com.google.protobuf.ByteString;

import java.util.List;
import java.util.Objects;

/** Organizations with their certificates (DER), the archive's certificate and the current CRL. */
public record DirectoryReply(List<Entry> entries, ByteString archiveCertificate, ByteString crl) implements Message {

    public DirectoryReply {
        entries = Checks.list(entries, 4096, "entries");
        Objects.requireNonNull(archiveCertificate);
        Objects.requireNonNull(crl);
    }

    /** One organization. Certificates are empty when it has none yet. */
    public record Entry(String code, String kind, String region, String country, String nameZh, String nameEn,
            String timezone, ByteString signingCertificate, ByteString keyAgreementCertificate) {
        public Entry {
            Checks.text(code, 16, "code");
            Checks.text(kind, 32, "kind");
            Checks.text(region, 32, "region");
            Checks.text(country, 8, "country");
            Checks.text(nameZh, 200, "Chinese name");
            Checks.text(nameEn, 300, "English name");
            Checks.text(timezone, 64, "time zone");
            Objects.requireNonNull(signingCertificate);
            Objects.requireNonNull(keyAgreementCertificate);
        }
    }
}
