package dev.pouch.protocol.transport;

/** The TLS behaviour on the JDK's engine. */
class JdkTlsIT extends TlsBehaviour {
    @Override
    TlsEngine engine() {
        return TlsEngine.JDK;
    }
}
