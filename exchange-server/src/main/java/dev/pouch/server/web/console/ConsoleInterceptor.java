package dev.pouch.server.web.console;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The console's gate, before every console handler: security headers, the language switch
 * ({@code ?lang=zh|en}), the anti-forgery check on every POST (the sign-in form included), and
 * sign-in for everything but the sign-in pages. What it learns is left in request attributes for
 * the page templates ({@code me}, {@code csrf}, {@code lang}).
 */
@Component
class ConsoleInterceptor implements HandlerInterceptor {

    static final Locale ZH = Locale.SIMPLIFIED_CHINESE;
    static final Locale EN = Locale.ENGLISH;

    private final ConsoleAccess access;
    private final LocaleResolver locales;
    private final boolean passwordSignIn;

    ConsoleInterceptor(ConsoleAccess access, LocaleResolver locales, ConsoleProperties console, PouchProperties properties) {
        this.access = access;
        this.locales = locales;
        this.passwordSignIn = console.passwordSignIn(properties.demo());
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Cache-Control", "no-store");
        String lang = request.getParameter("lang");
        if ("zh".equals(lang) || "en".equals(lang)) {
            Locale chosen = "zh".equals(lang) ? ZH : EN;
            locales.setLocale(request, response, chosen);
        }
        Locale locale = locales.resolveLocale(request);
        request.setAttribute("lang", "en".equals(locale.getLanguage()) ? "en" : "zh");
        request.setAttribute("passwordSignIn", passwordSignIn);
        request.setAttribute("path", here(request));
        request.setAttribute("isAdmin", false);
        request.setAttribute("isAuditor", false);

        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean signInPage = path.equals("/console/signin") || path.startsWith("/console/signin/") || path.equals("/console/signout");
        boolean post = "POST".equalsIgnoreCase(request.getMethod());
        Optional<Staff> me = signInPage ? safeCurrent(request) : access.current(request);
        if (me.isEmpty() && !signInPage) {
            if (post) {
                throw new ProtocolException(ErrorCode.SIGN_IN_REQUIRED, "");
            }
            response.sendRedirect(request.getContextPath() + "/console/signin");
            return false;
        }
        if (post) {
            access.checkCsrf(request);
        }
        me.ifPresent(m -> request.setAttribute("me", m));
        request.setAttribute("isAdmin", me.map(m -> m.has(Role.ADMIN)).orElse(false));
        request.setAttribute("isAuditor", me.map(m -> m.has(Role.AUDITOR)).orElse(false));
        request.setAttribute("csrf", access.csrfToken(request));
        return true;
    }

    /** This page's path and query without {@code lang}, for the language links (a search keeps its query). */
    static String here(HttpServletRequest request) {
        String query = request.getQueryString();
        String kept = query == null ? "" : Arrays.stream(query.split("&"))
                .filter(p -> !p.isEmpty() && !p.equals("lang") && !p.startsWith("lang=")).collect(Collectors.joining("&"));
        return request.getRequestURI() + (kept.isEmpty() ? "" : "?" + kept);
    }

    /** On the sign-in pages a stale session is no error: it is simply not signed in. */
    private Optional<Staff> safeCurrent(HttpServletRequest request) {
        try {
            return access.current(request);
        } catch (ProtocolException e) {
            return Optional.empty();
        }
    }
}
