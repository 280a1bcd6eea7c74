package dev.pouch.server.web.console;

import dev.pouch.crypto.CryptoException;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The one place console refusals become pages: the stable code and its sentence in the reader's
 * language, with the service's detail, and a fitting HTTP status. Ordered before the REST
 * {@code ApiError}, which answers in JSON.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    @ExceptionHandler(ProtocolException.class)
    ModelAndView protocol(ProtocolException e, HttpServletRequest request, HttpServletResponse response) {
        return page(e.code(), e.detail(), request, response);
    }

    @ExceptionHandler(CryptoException.class)
    ModelAndView crypto(CryptoException e, HttpServletRequest request, HttpServletResponse response) {
        return page(ErrorCode.of(e.error()), e.detail(), request, response);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            IllegalArgumentException.class})
    ModelAndView invalid(Exception e, HttpServletRequest request, HttpServletResponse response) {
        String detail = e instanceof MethodArgumentTypeMismatchException m ? m.getName() + " has an invalid value"
                : e instanceof MissingServletRequestParameterException m ? m.getParameterName() + " is missing"
                : e.getMessage();
        return page(ErrorCode.INVALID_REQUEST, detail, request, response);
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
        log.warn("console request {} failed", request.getRequestURI(), e);
        return page(ErrorCode.INTERNAL_ERROR, "", request, response);
    }

    private static ModelAndView page(ErrorCode code, String detail, HttpServletRequest request, HttpServletResponse response) {
        int status = status(code);
        response.setStatus(status);
        ModelAndView page = new ModelAndView("console/error");
        page.setStatus(org.springframework.http.HttpStatusCode.valueOf(status));
        page.addObject("errorCode", code.code());
        page.addObject("errorName", code.name());
        page.addObject("errorMessage", code.message());
        page.addObject("errorDetail", detail == null ? "" : detail);
        page.addObject("retryable", code.retryable());
        return page;
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case SIGN_IN_REQUIRED, SIGN_IN_FAILED -> 401;
            case NOT_FOUND -> 404;
            case FORBIDDEN, UNKNOWN_STAFF, FORM_EXPIRED -> 403;
            case DUPLICATE_DOCUMENT_NUMBER, DOCUMENT_ID_CONFLICT -> 409;
            case BUSY, QUEUEING_DELAYED, SHUTTING_DOWN -> 503;
            case INTERNAL_ERROR -> 500;
            case NOT_AVAILABLE -> 501;
            default -> 400;
        };
    }
}
