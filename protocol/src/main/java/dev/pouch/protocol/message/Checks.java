package dev.pouch.protocol.message;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;

import java.util.List;
import java.util.regex.Pattern;

/** Field rules shared by the message records; a violation is a malformed frame. */
final class Checks {

    static final int MAX_TEXT = 4096;
    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

    private Checks() {
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, message);
        }
    }

    static String streamId(String id) {
        require(id != null && STREAM_ID.matcher(id).matches(), "stream ids are 1-128 characters of [A-Za-z0-9._:/-]");
        return id;
    }

    static String text(String value, int max, String what) {
        require(value != null, what + " is missing");
        require(value.length() <= max, what + " is longer than " + max + " characters");
        return value;
    }

    static <T> List<T> list(List<T> values, int max, String what) {
        require(values != null, what + " is missing");
        require(values.size() <= max, "more than " + max + " " + what);
        return List.copyOf(values);
    }

    static long nonNegative(long value, String what) {
        require(value >= 0, what + " is negative");
        return value;
    }
}
