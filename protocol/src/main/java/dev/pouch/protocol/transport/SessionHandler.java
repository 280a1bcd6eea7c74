package dev.pouch.protocol.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Chunk;
import dev.pouch.protocol.message.Failure;
import dev.pouch.protocol.message.Framed;
import com.google.protobuf.ByteString;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.message.Ping;
import dev.pouch.protocol.message.Pong;
import dev.pouch.protocol.message.StreamBegin;
import dev.pouch.protocol.message.StreamEnd;
import dev.pouch.protocol.message.StreamState;
import dev.pouch.protocol.message.Welcome;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The last handler of both pipelines: owns the connection's {@link Session}, negotiates the
 * version (server side), answers pings, routes replies and streams, hands everything else to the
 * {@link ExchangeHandler}, and is the one place where failures become error frames.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Framed> {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    enum Role { SERVER, CLIENT }

    private final Role role;
    private final ExchangeHandler application;
    private final Limits limits;
    private final Executor blockingExecutor;
    private final String software;
    private final Identity presetPeer;
    private final Supplier<ByteString> crl;
    private Session session;
    private InboundStreams inbound;
    private ScheduledFuture<?> helloDeadline;

    /**
     * @param crl the authority's current CRL for the welcome (server side; empty if none)
     */
    SessionHandler(Role role, ExchangeHandler application, Limits limits, Executor blockingExecutor, String software,
            Identity presetPeer, Supplier<ByteString> crl) {
        this.role = role;
        this.crl = crl;
        this.application = application;
        this.limits = limits;
        this.blockingExecutor = blockingExecutor;
        this.software = software;
        this.presetPeer = presetPeer;
    }

    Session session() {
        return session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = new Session(ctx.channel(), limits, blockingExecutor);
        inbound = new InboundStreams(session, application.streamStore(), id -> application.streamComplete(session, id));
        if (presetPeer != null) {
            session.peer(presetPeer); // no TLS: tests of the codec and session logic
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (role == Role.SERVER) {
            // The TLS handshake has its own timeout; this one bounds the time to a hello after it.
            helloDeadline = ctx.executor().schedule(() -> {
                if (!session.isEstablished()) {
                    session.close(ErrorCode.HELLO_REQUIRED, "no hello within " + limits.handshakeTimeout());
                }
            }, limits.handshakeTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        }
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                X509Certificate peerCert = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
                session.peer(Identity.of(peerCert));
            } else {
                log.debug("TLS handshake failed from {}: {}", ctx.channel().remoteAddress(), hs.cause().toString());
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(Framed.request(Session.VERSION, 0, new Ping(ThreadLocalRandom.current().nextLong())),
                        ctx.voidPromise());
            } else if (idle.state() == IdleState.READER_IDLE) {
                session.close(ErrorCode.IDLE_TIMEOUT, "nothing received for " + limits.idleTimeout());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Framed frame) {
        if (frame.version() != Session.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                    "frame version " + frame.version() + "; this peer speaks version " + Session.VERSION);
        }
        if (role == Role.SERVER && !session.isEstablished()) {
            hello(frame);
            return;
        }
        if (frame.isReply()) {
            boolean matched = session.completePending(frame);
            if (frame.message() instanceof StreamBegin begin) {
                inbound.begin(frame, begin); // a stream answering a fetch
            } else if (!matched && !(frame.message() instanceof Failure) && !(frame.message() instanceof Pong)) {
                log.debug("reply to unknown request {} from {}", frame.inReplyTo(), ctx.channel().remoteAddress());
            }
            return;
        }
        switch (frame.message()) {
            case Ping ping -> session.reply(frame, new Pong(ping.nonce()));
            case Pong pong -> { } // any read resets the idle timer; nothing else to do
            case StreamBegin begin -> inbound.begin(frame, begin);
            case Chunk chunk -> inbound.chunk(chunk);
            case StreamEnd end -> inbound.end(frame, end);
            case StreamState progress -> session.outbound(progress.streamId()).ifPresent(s -> s.acknowledged(progress));
            case Failure failure -> streamFailure(ctx, failure);
            case Hello hello -> throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "hello was already exchanged");
            case Welcome welcome -> throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "welcome without hello");
            default -> dispatch(frame);
        }
    }

    /**
     * An error frame about one stream: the receiver refusing what this side sends, or the sender
     * of a stream this side receives giving up on it.
     */
    private void streamFailure(ChannelHandlerContext ctx, Failure failure) {
        Optional<String> id = failure.streamId();
        Optional<OutboundStream> outgoing = id.flatMap(session::outbound);
        if (outgoing.isPresent()) {
            outgoing.get().fail(RemoteFailureException.of(failure));
        } else if (id.isPresent() && inbound.aborted(id.get())) {
            application.streamFailed(session, id.get(), RemoteFailureException.of(failure));
        } else {
            log.debug("error from {}: {} {}", ctx.channel().remoteAddress(), failure.code(), failure.message());
        }
    }

    private void hello(Framed frame) {
        if (!(frame.message() instanceof Hello hello)) {
            throw new ProtocolException(ErrorCode.HELLO_REQUIRED, "the first message must be hello");
        }
        if (hello.minVersion() > Session.VERSION || hello.maxVersion() < Session.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "client speaks versions " + hello.minVersion()
                    + "-" + hello.maxVersion() + "; this server speaks " + Session.VERSION);
        }
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        session.reply(frame, new Welcome(Session.VERSION, software, session.peer().toString(),
                (int) limits.heartbeat().toSeconds(), limits.maxFrameBytes(), limits.maxChunkBytes(), limits.maxOpenStreams(),
                crl.get()));
        session.takesDeliveries(hello.takesDeliveries());
        session.established();
        application.connected(session);
    }

    private void dispatch(Framed frame) {
        session.handedToApplication(frame);
        try {
            application.handle(session, frame);
        } catch (ProtocolException e) {
            session.replyFailure(frame, e);
        } catch (CryptoException e) {
            session.replyFailure(frame, new ProtocolException(ErrorCode.of(e.error()), e.detail()));
        } catch (RuntimeException e) {
            log.warn("request {} from {} failed", frame.message().getClass().getSimpleName(), session.peer(), e);
            session.replyFailure(frame, new ProtocolException(ErrorCode.INTERNAL_ERROR, "internal error"));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        session.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        inbound.closed();
        session.closed();
        if (session.isEstablished() || role == Role.CLIENT) {
            application.disconnected(session);
        }
        super.channelInactive(ctx);
    }

    /** Every failure on a connection ends here: stream errors keep it open, the rest close it with an error frame. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException e = classify(cause);
        if (e == null) {
            ctx.close();
            return;
        }
        if (e.streamId().isPresent() && e.code() != ErrorCode.MALFORMED_FRAME) {
            session.replyFailure(null, e);
            return;
        }
        log.debug("closing connection from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
        session.close(e.code(), e.detail());
    }

    /** Maps a failure to the error frame to send, or null when there is no one left to tell. */
    static ProtocolException classify(Throwable cause) {
        Throwable c = cause;
        while (c instanceof DecoderException && c.getCause() != null && !(c instanceof TooLongFrameException)) {
            c = c.getCause();
        }
        return switch (c) {
            case ProtocolException pe -> pe;
            case TooLongFrameException tl -> new ProtocolException(ErrorCode.FRAME_TOO_LARGE, tl.getMessage());
            case InvalidProtocolBufferException ip -> new ProtocolException(ErrorCode.MALFORMED_FRAME, "not a protobuf frame");
            case DecoderException de -> new ProtocolException(ErrorCode.MALFORMED_FRAME, String.valueOf(de.getMessage()));
            case SSLException ssl -> null;
            case IOException io -> null;
            default -> new ProtocolException(ErrorCode.INTERNAL_ERROR, "internal error");
        };
    }
}
