package dev.pouch.crypto.bench;

import dev.pouch.crypto.internal.Bc;
import dev.pouch.crypto.internal.GcmWarmup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The limits our figures are read against, measured in the same run: JDK AES-256-GCM and
 * SHA-256 over 1 MiB, Bouncy Castle ECDSA P-256 signing and ECDH. Each op is one 1 MiB buffer
 * (throughput in MB/s = ops/s × 1.048576) or one EC operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class PrimitiveLimitsBenchmark {

    private final byte[] data = new byte[1 << 20];
    private final byte[] out = new byte[(1 << 20) + 16];
    private final SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
    private final byte[] nonce = new byte[12];
    private KeyPair signer;
    private KeyPair peer;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        GcmWarmup.awaitStarted(30);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        signer = g.generateKeyPair();
        peer = g.generateKeyPair();
    }

    @Benchmark
    public int jdkAesGcmEncrypt1MiB() throws Exception {
        counter++;
        nonce[0] = (byte) counter;
        nonce[1] = (byte) (counter >>> 8);
        nonce[2] = (byte) (counter >>> 16);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return c.doFinal(data, 0, data.length, out, 0);
    }

    @Benchmark
    public byte[] jdkSha256Of1MiB() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Benchmark
    public byte[] bcEcdsaP256Sign() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA", Bc.PROVIDER);
        s.initSign(signer.getPrivate());
        s.update(nonce);
        return s.sign();
    }

    @Benchmark
    public byte[] bcEcdhP256() throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance("ECDH", Bc.PROVIDER);
        ka.init(signer.getPrivate());
        ka.doPhase(peer.getPublic(), true);
        return ka.generateSecret();
    }
}
