package dev.pouch.crypto.internal;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.FixedPointUtil;

import java.security.Provider;
import java.security.SecureRandom;

/**
 * The Bouncy Castle provider instance and curve parameters Pouch uses.
 *
 * <p>The provider is passed explicitly to every builder instead of being installed globally, so
 * Pouch never changes provider order for the rest of the JVM. AES-GCM and SHA-256 come from the
 * JDK providers (about 30x faster here); elliptic-curve work comes from Bouncy Castle.
 */
public final class Bc {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    /** P-256 with Bouncy Castle's optimised field arithmetic. */
    public static final ECDomainParameters P256;

    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        FixedPointUtil.precompute(x9.getG());
        P256 = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }

    private Bc() {
    }

    /** A shared, thread-safe source of randomness. */
    public static SecureRandom random() {
        return RANDOM;
    }

    /** Fresh random bytes. */
    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
