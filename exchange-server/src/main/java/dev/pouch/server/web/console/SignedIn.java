package dev.pouch.server.web.console;

import java.io.Serializable;
import java.time.Instant;

/**
 * What a console session remembers: who signed in, how, and the session's anti-forgery token. Roles
 * and clearance are not kept: they are read afresh on every request.
 */
record SignedIn(String organization, String staffId, Method method, Instant at) implements Serializable {

    /** How the staff member signed in. */
    enum Method { CERTIFICATE, PASSWORD }
}
