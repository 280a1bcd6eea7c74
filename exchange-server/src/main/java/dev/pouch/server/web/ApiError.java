package dev.pouch.server.web;

import dev.pouch.crypto.CryptoException;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.stream.Collectors;

/**
 * The one place REST refusals are translated: the same stable code and sentence the protocol
 * sends, as JSON, with a fitting HTTP status.
 */
@RestControllerAdvice
class ApiError {

    private static final Logger log = LoggerFactory.getLogger(ApiError.class);

    /** The body of every REST error. */
    record Body(int code, String name, String message, boolean retryable) {
    }

    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<Body> protocol(ProtocolException e) {
        return respond(e.code(), e.detail());
    }

    @ExceptionHandler(CryptoException.class)
    ResponseEntity<Body> crypto(CryptoException e) {
        return respond(ErrorCode.of(e.error()), e.detail());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Body> invalid(MethodArgumentNotValidException e) {
        String fields = e.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + " " + f.getDefaultMessage()).sorted().collect(Collectors.joining("; "));
        return respond(ErrorCode.INVALID_REQUEST, fields.isEmpty() ? e.getMessage() : fields);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
            IllegalArgumentException.class})
    ResponseEntity<Body> unreadable(Exception e) {
        String detail = e instanceof HttpMessageNotReadableException ? "the body is not the JSON this call takes"
                : e instanceof MethodArgumentTypeMismatchException m ? m.getName() + " has an invalid value"
                : e.getMessage();
        return respond(ErrorCode.INVALID_REQUEST, detail);
    }

    /** Spring's own refusals (no such path, wrong method, wrong media type) in the same shape. */
    @ExceptionHandler(ErrorResponseException.class)
    ResponseEntity<Body> spring(ErrorResponseException e) {
        ErrorCode code = e.getStatusCode().value() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INVALID_REQUEST;
        return ResponseEntity.status(e.getStatusCode()).body(body(code, e.getBody().getDetail()));
    }

    @ExceptionHandler({NoResourceFoundException.class, HttpRequestMethodNotSupportedException.class,
            HttpMediaTypeNotSupportedException.class})
    ResponseEntity<Body> springStandard(Exception e) {
        var status = ((org.springframework.web.ErrorResponse) e).getStatusCode();
        ErrorCode code = status.value() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INVALID_REQUEST;
        return ResponseEntity.status(status).body(body(code, ((org.springframework.web.ErrorResponse) e).getBody().getDetail()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Body> unexpected(Exception e) {
        log.warn("REST request failed", e);
        return respond(ErrorCode.INTERNAL_ERROR, "");
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
        // JSON whatever the request accepted: a refusal of a CSV or file download is still the same error body
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_JSON).body(body(code, detail));
    }

    private static Body body(ErrorCode code, String detail) {
        String message = code.message() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")");
        return new Body(code.code(), code.name(), message, code.retryable());
    }
}
