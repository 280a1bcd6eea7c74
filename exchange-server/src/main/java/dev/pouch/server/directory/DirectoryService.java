package dev.pouch.server.directory;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.DirectoryReply;
import dev.pouch.server.pki.CertificateRepository;
import dev.pouch.server.pki.ExchangePki;
import org.springframework.stereotype.Service;

import java.security.cert.CRLException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Answers directory queries: organizations with their current certificates, the archive's, and the CRL. */
@Service
public class DirectoryService {

    private final Directory directory;
    private final CertificateRepository certificates;
    private final ExchangePki pki;

    public DirectoryService(Directory directory, CertificateRepository certificates, ExchangePki pki) {
        this.directory = directory;
        this.certificates = certificates;
        this.pki = pki;
    }

    public DirectoryReply answer(DirectoryQuery query) {
        Map<String, Organization> selected = new LinkedHashMap<>();
        if (query.all()) {
            directory.all().forEach(o -> selected.put(o.code().value(), o));
        }
        for (String region : query.regions()) {
            Region r;
            try {
                r = Region.valueOf(region);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, "no region " + region);
            }
            directory.inRegion(r).forEach(o -> selected.put(o.code().value(), o));
        }
        for (String code : query.organizations()) {
            Organization o = (dev.pouch.crypto.document.OrgCode.isValid(code)
                    ? directory.find(dev.pouch.crypto.document.OrgCode.of(code)) : Optional.<Organization>empty())
                    .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, code + " is not an organization of this exchange"));
            selected.put(code, o);
        }
        var entries = selected.values().stream().map(o -> new DirectoryReply.Entry(o.code().value(), o.kind().name(),
                o.region().name(), o.country(), o.nameZh(), o.nameEn(), o.timezone().getId(),
                der(certificates.current(Identity.organization(o.code()), CertificateProfile.ORGANIZATION_SIGNING)),
                der(certificates.current(Identity.organization(o.code()), CertificateProfile.ORGANIZATION_KEY_AGREEMENT)))).toList();
        try {
            return new DirectoryReply(entries, ByteString.copyFrom(Certificates.encoded(pki.archive().certificate())),
                    ByteString.copyFrom(pki.currentCrl().getEncoded()));
        } catch (CRLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteString der(Optional<X509Certificate> certificate) {
        return certificate.map(c -> ByteString.copyFrom(Certificates.encoded(c))).orElse(ByteString.EMPTY);
    }
}
