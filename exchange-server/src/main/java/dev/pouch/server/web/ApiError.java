package dev.pouch.server.web;

import dev.pouch.crypto.CryptoException;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place REST refusals are translated: the same stable code and sentence the protocol
 * sends, as JSON, with a fitting HTTP status.
 */
@RestControllerAdvice
class ApiError {

    /** The body of every REST error. */
    record Body(int code, String name, String message, boolean retryable) {
    }

    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<Body> protocol(ProtocolException e) {
        return respond(e.code(), e.getMessage());
    }

    @ExceptionHandler(CryptoException.class)
    ResponseEntity<Body> crypto(CryptoException e) {
        return respond(ErrorCode.of(e.error()), e.getMessage());
    }

    @ExceptionHandler({MethodArgumentNotValidException.class, IllegalArgumentException.class})
    ResponseEntity<Body> invalid(Exception e) {
        return respond(ErrorCode.MALFORMED_FRAME, "invalid request: " + e.getMessage());
    }

    static ResponseEntity<Body> respond(ErrorCode code, String detail) {
        HttpStatus status = switch (code) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN, UNKNOWN_STAFF -> HttpStatus.FORBIDDEN;
            case DUPLICATE_DOCUMENT_NUMBER, DOCUMENT_ID_CONFLICT -> HttpStatus.CONFLICT;
            case BUSY, QUEUEING_DELAYED, SHUTTING_DOWN -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
            case NOT_AVAILABLE -> HttpStatus.NOT_IMPLEMENTED;
            default -> HttpStatus.BAD_REQUEST;
        };
        String message = code.message() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
        return ResponseEntity.status(status).body(new Body(code.code(), code.name(), message, code.retryable()));
    }
}
