package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.TrustStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;

import java.net.InetSocketAddress;
import java.security.cert.CRLException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The exchange's listening endpoint: binds, accepts mutual-TLS connections through the
 * {@link ServerChannelInitializer}, and stops gracefully.
 */
public final class ExchangeServerTransport implements AutoCloseable {

    /**
     * @param host             address to bind; loopback by default
     * @param ioThreads        event loop threads (0 = Netty's default)
     * @param maxConnections   connections beyond this are closed at once
     */
    public record Config(String host, int port, KeyCredential nodeTls, PkixCertificateValidator validator, Limits limits,
            ExchangeHandler handler, Executor blockingExecutor, int ioThreads, int maxConnections, String software,
            TlsEngine tlsEngine) {
        public Config {
            Objects.requireNonNull(host);
            Objects.requireNonNull(nodeTls);
            Objects.requireNonNull(validator);
            Objects.requireNonNull(limits);
            Objects.requireNonNull(handler);
            Objects.requireNonNull(blockingExecutor);
            Objects.requireNonNull(tlsEngine);
        }
    }

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final ConnectionLimiter limiter;

    private ExchangeServerTransport(EventLoopGroup boss, EventLoopGroup workers, Channel listener, ConnectionLimiter limiter) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.limiter = limiter;
    }

    public static ExchangeServerTransport start(Config config) {
        EventLoopGroup boss = EventLoops.group(1, "pouch-accept");
        EventLoopGroup workers = EventLoops.group(config.ioThreads(), "pouch-io");
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(EventLoops.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                    .childHandler(new ServerChannelInitializer(TlsContexts.server(config.nodeTls(), config.validator(), config.tlsEngine()),
                            config.limits(), config.handler(), config.blockingExecutor(), config.software(), limiter,
                            () -> currentCrl(config.validator())));
            Channel listener = b.bind(config.host(), config.port()).sync().channel();
            return new ExchangeServerTransport(boss, workers, listener, limiter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Open connections, including those still in their TLS handshake. */
    public int connections() {
        return limiter.active();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The newest CRL the validator holds from the exchange authority, for the welcome. */
    static ByteString currentCrl(PkixCertificateValidator validator) {
        TrustStore trust = validator.trustStore();
        for (X509Certificate anchor : trust.anchors()) {
            var crl = trust.crlFor(anchor.getSubjectX500Principal());
            if (crl.isPresent()) {
                try {
                    return ByteString.copyFrom(crl.get().getEncoded());
                } catch (CRLException e) {
                    throw new IllegalStateException("the installed CRL cannot be encoded", e);
                }
            }
        }
        return ByteString.EMPTY;
    }
}
