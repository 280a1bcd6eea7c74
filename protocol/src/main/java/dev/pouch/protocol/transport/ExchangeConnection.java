package dev.pouch.protocol.transport;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.Welcome;
import dev.pouch.protocol.stream.StreamSource;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A client's connection to the exchange, kept up by itself: it reconnects with exponential backoff
 * (with jitter) whenever the link drops, and {@link #sendStream} resumes an interrupted stream on
 * the next connection from where the server got.
 */
public final class ExchangeConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExchangeConnection.class);

    /**
     * @param group shared event loops (many connections in one process), or null for a private one
     */
    public record Config(String host, int port, KeyCredential tls, PkixCertificateValidator validator, Limits limits,
            ExchangeHandler handler, Executor blockingExecutor, EventLoopGroup group, String software,
            Duration minBackoff, Duration maxBackoff, TlsEngine tlsEngine, boolean takesDeliveries) {
        public Config {
            Objects.requireNonNull(host);
            Objects.requireNonNull(tls);
            Objects.requireNonNull(validator);
            Objects.requireNonNull(limits);
            Objects.requireNonNull(handler);
            Objects.requireNonNull(blockingExecutor);
            Objects.requireNonNull(tlsEngine);
        }

        /** A connection that takes its organization's deliveries. */
        public Config(String host, int port, KeyCredential tls, PkixCertificateValidator validator, Limits limits,
                ExchangeHandler handler, Executor blockingExecutor, EventLoopGroup group, String software,
                Duration minBackoff, Duration maxBackoff, TlsEngine tlsEngine) {
            this(host, port, tls, validator, limits, handler, blockingExecutor, group, software, minBackoff, maxBackoff,
                    tlsEngine, true);
        }
    }

    private final Config config;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Bootstrap bootstrap;
    private final Object lock = new Object();
    private CompletableFuture<Session> current = new CompletableFuture<>();
    private volatile boolean closed;
    private Duration backoff;
    private volatile Channel channel;
    private volatile String lastFailure;

    private ExchangeConnection(Config config) {
        this.config = config;
        this.ownGroup = config.group() == null;
        this.group = ownGroup ? EventLoops.group(1, "pouch-client") : config.group();
        this.backoff = config.minBackoff();
        SslContext tls = TlsContexts.client(config.tls(), config.validator(), config.tlsEngine());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(EventLoops.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.limits().handshakeTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .handler(new ClientChannelInitializer(tls, config.host(), config.port(), config.limits(), config.handler(),
                        config.blockingExecutor(), config.software()));
    }

    /** Starts connecting; the connection keeps itself up until {@link #close()}. */
    public static ExchangeConnection open(Config config) {
        ExchangeConnection c = new ExchangeConnection(config);
        c.connect();
        return c;
    }

    /** The current established session, or the next one. */
    public CompletableFuture<Session> session() {
        synchronized (lock) {
            return current;
        }
    }

    /** Waits for an established session. */
    public Session awaitSession(Duration timeout) {
        try {
            return session().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String last = lastFailure;
            throw new ProtocolException(ErrorCode.TIMEOUT, "no connection to " + config.host() + ":" + config.port()
                    + " within " + timeout + (last == null ? "" : " (last attempt: " + last + ")"));
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request on the current session (waiting for one if the link is down). */
    public CompletableFuture<Message> request(Message message) {
        return session().thenCompose(s -> s.request(message));
    }

    /**
     * Sends a stream and keeps at it across dropped connections and retryable refusals, resuming
     * each time from the offset the receiver reports, until it is complete or refused for good.
     */
    public CompletableFuture<Void> sendStream(String streamId, StreamSource source) {
        return retrying(s -> s.sendStream(streamId, StreamPurpose.UPLOAD, source, 0), 0);
    }

    /** Runs {@code operation} on a session, again on the next one if the connection drops or the refusal is retryable. */
    public <T> CompletableFuture<T> retrying(Function<Session, CompletableFuture<T>> operation, int attempt) {
        return session().thenCompose(operation).handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean retry = !closed && attempt < 1000 && (cause instanceof ConnectionClosedException
                    || (cause instanceof RemoteFailureException r && r.retryable())
                    || (cause instanceof ProtocolException p && p.code() == ErrorCode.TIMEOUT));
            if (!retry) {
                return CompletableFuture.<T>failedFuture(cause);
            }
            log.debug("retrying after {}", cause.toString());
            return retrying(operation, attempt + 1);
        }).thenCompose(Function.identity());
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelFuture f = bootstrap.connect(config.host(), config.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                lastFailure = String.valueOf(done.cause());
                scheduleReconnect();
                return;
            }
            Channel ch = f.channel();
            channel = ch;
            ch.closeFuture().addListener(x -> onClosed());
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(hs -> {
                if (!hs.isSuccess()) {
                    log.debug("TLS handshake with {}:{} failed: {}", config.host(), config.port(), hs.cause().toString());
                    lastFailure = "TLS handshake failed: " + hs.cause();
                    ch.close();
                    return;
                }
                Session session = ch.pipeline().get(SessionHandler.class).session();
                session.request(new Hello(Session.VERSION, Session.VERSION, config.software(), config.takesDeliveries())).whenComplete((reply, error) -> {
                    if (error != null || !(reply instanceof Welcome welcome)) {
                        log.debug("hello refused: {}", error == null ? reply : error.toString());
                        lastFailure = error != null ? error.toString() : "no welcome";
                        ch.close();
                        return;
                    }
                    try {
                        checkServerRevocation(ch, welcome);
                    } catch (CryptoException e) {
                        log.warn("the exchange at {}:{} is not trusted: {}", config.host(), config.port(), e.getMessage());
                        lastFailure = "the exchange's certificate is not trusted: " + e.detail();
                        ch.close();
                        return;
                    }
                    session.established();
                    synchronized (lock) {
                        backoff = config.minBackoff();
                        current.complete(session);
                    }
                    config.handler().connected(session);
                });
            });
        });
    }

    /**
     * Installs the CRL the exchange sent (only if the authority signed it and it is newer than the
     * one held) and checks the exchange's certificate with full revocation, which the TLS
     * handshake may have had to defer. Nothing is sent on a session that fails this.
     */
    private void checkServerRevocation(Channel ch, Welcome welcome) {
        if (!welcome.crl().isEmpty()) {
            try {
                X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(welcome.crl().toByteArray()));
                config.validator().trustStore().update(crl);
            } catch (CertificateException | CRLException | ClassCastException e) {
                throw new CryptoException(CryptoError.MALFORMED, "the welcome carries an unreadable CRL", e);
            }
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : ch.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates()) {
                chain.add((X509Certificate) c);
            }
        } catch (SSLPeerUnverifiedException e) {
            throw new CryptoException(CryptoError.CERTIFICATE_UNTRUSTED, "the exchange presented no certificate", e);
        }
        config.validator().validate(chain, CertificateUsage.TLS_SERVER, ValidationTime.now());
    }

    private void onClosed() {
        synchronized (lock) {
            if (current.isDone()) {
                current = new CompletableFuture<>();
            }
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        long delay;
        synchronized (lock) {
            delay = backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, backoff.toMillis() / 2 + 1));
            backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
        }
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Closes the current connection (the connection comes back by itself): for tests of resumption. */
    public void dropConnection() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return; // closing twice is harmless
            }
            closed = true;
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
        synchronized (lock) {
            current.completeExceptionally(new ConnectionClosedException("connection closed by the client"));
        }
        if (ownGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
