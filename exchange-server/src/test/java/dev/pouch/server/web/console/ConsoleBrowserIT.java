package dev.pouch.server.web.console;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium against a real server on 127.0.0.1 (one for this class,
 * with password sign-in on): sign in, switch language, search in Chinese, open a document, read a
 * survey tracker. A failing test leaves a screenshot in {@code target/browser-failures/}.
 */
@ExtendWith(Browser.class)
class ConsoleBrowserIT {

    private static final String PASSWORD = "correct horse battery staple 马";

    private static Path dataDir;
    private static TestServer server;
    private static ChromeDriver browser;
    private static String base;
    private static Letters.Letter notice;
    private static DocumentHeader survey;

    @BeforeAll
    static void start() {
        dataDir = TestServer.tempDir();
        server = TestServer.start(dataDir, "--pouch.console.password-sign-in=true");
        base = "https://127.0.0.1:" + server.httpsPort();
        TestOffice hq = server.office("HQ-EUR").awaitConnected();
        TestOffice fr = server.office("FR-EMB").awaitConnected();
        TestOffice de = server.office("DE-EMB").awaitConnected();
        server.bean(StaffPasswords.class).set(server.bean(StaffRepository.class).find(OrgCode.of("HQ-EUR"), "officer").orElseThrow(),
                Password.of(PASSWORD));

        byte[] text = "各驻外经商机构：请报送所在国电信市场情况。Please report on the telecom market.".getBytes(StandardCharsets.UTF_8);
        notice = new Letters.Letter(Letters.header("HQ-EUR", List.of("FR-EMB", "DE-EMB"), Precedence.URGENT, Classification.INTERNAL)
                .subject("关于欧洲电信市场的通知").attachment(new Attachment("notice.txt", "text/plain", text.length)).build(), text);
        hq.send(notice.header(), notice.content());
        fr.awaitDocument(notice.id(), Duration.ofSeconds(20));
        fr.signFor(notice.id(), "已收到");

        byte[] letter = "请于月底前报送电信市场调研报告。".getBytes(StandardCharsets.UTF_8);
        survey = Letters.header("HQ-EUR", List.of("FR-EMB", "DE-EMB"), Precedence.ROUTINE, Classification.INTERNAL)
                .type(DocumentType.SURVEY_REQUEST).subject("欧洲电信市场调研函").deadline(Instant.now().plus(Duration.ofDays(3)))
                .attachment(new Attachment("letter.txt", "text/plain", letter.length)).build();
        hq.send(survey, letter);
        fr.awaitDocument(survey.documentId(), Duration.ofSeconds(20));
        byte[] report = "法国电信市场报告 French telecom market report".getBytes(StandardCharsets.UTF_8);
        fr.send(Letters.header("FR-EMB", List.of("HQ-EUR"), Precedence.ROUTINE, Classification.INTERNAL).type(DocumentType.REPORT)
                .inReplyTo(survey.documentId()).subject("法国电信市场调研报告")
                .attachment(new Attachment("report.txt", "text/plain", report.length)).build(), report);

        browser = Browser.start(dataDir.resolve("chromium"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
            TestServer.deleteTree(dataDir);
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    private void signIn() {
        signIn("HQ-EUR", "officer", PASSWORD);
    }

    private void signIn(String organization, String staffId, String password) {
        browser.get(base + "/console/signin?lang=zh");
        browser.findElement(By.id("organization")).sendKeys(organization);
        browser.findElement(By.id("staffId")).sendKeys(staffId);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("signin-password")).click();
        waiting().until(ExpectedConditions.urlContains("/console/inbox"));
    }

    @Test
    void staff_sign_in_with_a_password_switch_to_english_and_back_and_sign_out() {
        signIn();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("收件箱");
        browser.findElement(By.id("tab-sent")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("inbox")));
        assertThat(browser.findElement(By.id("inbox")).getText()).contains(notice.header().documentNumber());

        browser.findElement(By.id("lang-en")).click();
        waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "Inbox"));
        assertThat(browser.findElement(By.id("nav-search")).getText()).isEqualTo("Search");
        browser.findElement(By.id("lang-zh")).click();
        waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "收件箱"));

        browser.findElement(By.id("signout")).click();
        waiting().until(ExpectedConditions.urlContains("/console/signin"));
        browser.get(base + "/console/inbox");
        assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
    }

    @Test
    void an_administrator_sets_a_console_password_with_which_that_person_signs_in() {
        server.enrol("HQ-GO", "root.admin", dev.pouch.server.directory.Role.ADMIN);
        server.bean(StaffPasswords.class).set(server.bean(StaffRepository.class).find(OrgCode.of("HQ-GO"), "root.admin").orElseThrow(),
                Password.of(PASSWORD));
        signIn("HQ-GO", "root.admin", PASSWORD);
        browser.get(base + "/console/admin/staff?organization=DE-EMB&lang=en");
        WebElement row = waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-staff='DE-EMB/officer']")));
        row.findElement(By.name("password")).sendKeys("klaus's new password 2026");
        row.findElement(By.cssSelector("form[action$='/password'] button")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("password-set")));
        browser.findElement(By.id("signout")).click();
        waiting().until(ExpectedConditions.urlContains("/console/signin"));

        signIn("DE-EMB", "officer", "klaus's new password 2026");
        assertThat(browser.findElement(By.id("who")).getText()).contains("officer");
    }

    @Test
    void a_wrong_password_is_refused_with_its_code() {
        browser.get(base + "/console/signin?lang=en");
        browser.findElement(By.id("organization")).sendKeys("HQ-EUR");
        browser.findElement(By.id("staffId")).sendKeys("officer");
        browser.findElement(By.id("password")).sendKeys("not the password");
        browser.findElement(By.id("signin-password")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("error-code")));
        assertThat(browser.findElement(By.id("error-code")).getText()).isEqualTo(String.valueOf(ErrorCode.SIGN_IN_FAILED.code()));
        assertThat(browser.findElement(By.id("error-message")).getText()).contains("not accepted");
    }

    @Test
    void a_search_in_chinese_finds_the_notice_and_opens_its_page() {
        signIn();
        browser.findElement(By.id("nav-search")).click();
        WebElement q = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("q")));
        q.sendKeys("电信市场");
        browser.findElement(By.id("search-button")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("hits")));
        assertThat(browser.findElement(By.id("result-count")).getText()).startsWith("共");
        assertThat(browser.findElement(By.id("facets")).getText()).contains("类型");
        browser.findElement(By.id("lang-en")).click();
        waiting().until(ExpectedConditions.textMatches(By.id("result-count"), java.util.regex.Pattern.compile("\\d+ documents")));
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("电信市场");
        browser.findElement(By.id("lang-zh")).click();
        waiting().until(ExpectedConditions.textMatches(By.id("result-count"), java.util.regex.Pattern.compile("共 \\d+ 份公文")));
        WebElement hit = browser.findElements(By.cssSelector("a.hit-link")).stream()
                .filter(a -> a.getText().equals("关于欧洲电信市场的通知")).findFirst().orElseThrow();
        hit.click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("doc-number")));
        assertThat(browser.findElement(By.id("doc-number")).getText()).isEqualTo(notice.header().documentNumber());
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("已签收").contains("officer");
        assertThat(browser.findElement(By.id("attachments")).getText()).contains("notice.txt");
    }

    @Test
    void the_requester_reads_the_survey_tracker() {
        signIn();
        browser.findElement(By.id("nav-surveys")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.survey-link"))).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("targets")));
        WebElement france = browser.findElement(By.cssSelector("tr[data-office='FR-EMB']"));
        assertThat(france.getAttribute("data-state")).isEqualTo("RESPONDED_ON_TIME");
        assertThat(france.findElement(By.cssSelector(".ts")).getText()).isEqualTo("按时回复");
        assertThat(france.findElement(By.cssSelector(".ts")).getCssValue("background-color")).isNotEqualTo("rgba(0, 0, 0, 0)");
        WebElement germany = browser.findElement(By.cssSelector("tr[data-office='DE-EMB']"));
        assertThat(germany.getAttribute("data-state")).isIn("NOT_DELIVERED", "DELIVERED", "SIGNED_FOR");
        assertThat(germany.getText()).containsPattern("CES?T").containsPattern("\\dd \\d+h \\d+m");
        assertThat(browser.findElement(By.id("countdown")).getText()).matches("[23]d \\d+h \\d+m");
        assertThat(browser.findElement(By.id("compilation")).getAttribute("href")).endsWith("/compilation");
    }
}
