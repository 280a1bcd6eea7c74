package dev.pouch.server.web.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;

import java.time.Duration;

/**
 * The web console's wiring: messages in Chinese and English ({@code i18n/messages_zh},
 * {@code messages_en}), the language kept in a cookie (Chinese unless switched), and the
 * {@link ConsoleInterceptor} in front of every console page (not the REST API, not static assets).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration implements WebMvcConfigurer {

    private final ConsoleInterceptor interceptor;

    ConsoleConfiguration(@Lazy ConsoleInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Bean
    static MessageSource messageSource() {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("i18n/messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        messages.setDefaultLocale(ConsoleInterceptor.ZH);
        return messages;
    }

    @Bean
    static LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("POUCH_LANG");
        resolver.setDefaultLocale(ConsoleInterceptor.ZH);
        resolver.setCookieMaxAge(Duration.ofDays(365));
        resolver.setCookieSecure(true);
        resolver.setCookieHttpOnly(true);
        resolver.setCookieSameSite("Strict");
        resolver.setCookiePath("/");
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(interceptor).addPathPatterns("/console", "/console/**").excludePathPatterns("/console/assets/**");
    }
}
