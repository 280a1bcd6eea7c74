package dev.pouch.client;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxTest {

    private static final OrgCode FR = OrgCode.of("FR-EMB");

    @TempDir
    Path dir;

    private Path settled(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(5)));
        return file;
    }

    @Test
    void a_dropped_file_is_taken_once_under_an_id_fixed_on_disk_with_its_description() throws Exception {
        Outbox outbox = new Outbox(dir, FR, List.of("HQ-EUR"));
        settled(Files.writeString(dir.resolve("月报.docx"), "x"));
        Files.writeString(dir.resolve("月报.docx.pouch"), "subject=法国月报\ntype=STATISTICS\nclassification=public\ncc=DE-EMB\n",
                StandardCharsets.UTF_8);
        Path writing = Files.writeString(dir.resolve("still-copying.pdf"), "y"); // changed just now: not yet
        Files.writeString(dir.resolve("upload.part"), "z");

        List<Outbox.Queued> accepted = outbox.accept();
        assertThat(accepted).hasSize(1);
        Outbox.Queued q = accepted.getFirst();
        assertThat(dir.resolve("月报.docx")).doesNotExist();
        assertThat(dir.resolve("月报.docx.pouch")).doesNotExist();
        assertThat(outbox.pending()).containsExactly(writing);

        // A new agent (after a restart) finds the same document under the same id.
        Outbox again = new Outbox(dir, FR, List.of("HQ-EUR"));
        assertThat(again.accept()).isEmpty();
        assertThat(again.queued()).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo(q.id()));
        Draft d = again.queued().getFirst().draft();
        assertThat(d.id()).isEqualTo(q.id());
        assertThat(d.subject()).isEqualTo("法国月报");
        assertThat(d.type()).isEqualTo(DocumentType.STATISTICS);
        assertThat(d.classification()).isEqualTo(Classification.PUBLIC);
        assertThat(d.actionRecipients()).containsExactly("HQ-EUR");
        assertThat(d.informationRecipients()).containsExactly("DE-EMB");
        assertThat(d.number()).matches("FR-EMB-\\d{4}-" + q.id().toString().substring(0, 8));
        assertThat(d.files()).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).isEqualTo("月报.docx"));

        again.sent(again.queued().getFirst(), new ExchangeClient.Sent(q.id(), d.number(), Instant.now(), false, List.of(OrgCode.of("HQ-EUR"))));
        assertThat(again.queued()).isEmpty();
        assertThat(dir.resolve("sent/" + q.id() + "/sent.properties")).content().contains("recipients=HQ-EUR");
    }

    @Test
    void a_folder_is_one_document_and_a_description_that_cannot_be_sent_is_refused_for_good() throws Exception {
        Outbox outbox = new Outbox(dir, FR, List.of());
        Path folder = Files.createDirectories(dir.resolve("statistics"));
        Files.writeString(folder.resolve("a.csv"), "1");
        Files.writeString(folder.resolve("b.csv"), "2");
        Files.writeString(folder.resolve("send.properties"), "to=HQ-EUR\nsubject=Trade statistics\n");
        settled(folder);
        settled(Files.writeString(dir.resolve("nobody.txt"), "no recipient"));

        List<Outbox.Queued> accepted = outbox.accept();
        assertThat(accepted).hasSize(2);
        Outbox.Queued stats = accepted.stream().filter(q -> q.source().equals("statistics")).findFirst().orElseThrow();
        assertThat(stats.draft().files()).extracting(p -> p.getFileName().toString()).containsExactly("a.csv", "b.csv");
        assertThat(stats.draft().subject()).isEqualTo("Trade statistics");

        Outbox.Queued nobody = accepted.stream().filter(q -> q.source().equals("nobody.txt")).findFirst().orElseThrow();
        assertThatThrownBy(nobody::draft).isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.kind()).isEqualTo(ClientException.Kind.INVALID_INPUT));
        outbox.failed(nobody, new ClientException(ClientException.Kind.REFUSED, ErrorCode.UNKNOWN_RECIPIENT, "no such office", null));
        assertThat(dir.resolve("failed/" + nobody.id() + "/failed.properties")).content()
                .contains("error=3003 UNKNOWN_RECIPIENT", "reason=no such office");
        assertThat(outbox.queued()).extracting(Outbox.Queued::source).containsExactly("statistics");
    }

    @Test
    void a_claim_interrupted_by_a_crash_gives_the_file_or_folder_and_its_description_back() throws Exception {
        Path fileClaim = Files.createDirectories(dir.resolve(".queue/" + UUID.randomUUID() + ".claiming/files"));
        Files.writeString(fileClaim.getParent().resolve("draft.properties"), "source=report.txt\nfolder=false\n");
        Files.writeString(fileClaim.resolve("report.txt"), "r");
        Files.writeString(fileClaim.getParent().resolve("report.txt.pouch"), "to=HQ-EUR\n");
        Path folderClaim = Files.createDirectories(dir.resolve(".queue/" + UUID.randomUUID() + ".claiming/files"));
        Files.writeString(folderClaim.getParent().resolve("draft.properties"), "source=statistics\nfolder=true\n");
        Files.writeString(folderClaim.resolve("a.csv"), "1");
        Files.writeString(folderClaim.getParent().resolve("send.properties"), "subject=Trade statistics\n");

        Outbox outbox = new Outbox(dir, FR, List.of());
        assertThat(dir.resolve("report.txt")).hasContent("r");
        assertThat(dir.resolve("report.txt.pouch")).hasContent("to=HQ-EUR\n");
        assertThat(dir.resolve("statistics/a.csv")).hasContent("1");
        assertThat(dir.resolve("statistics/send.properties")).hasContent("subject=Trade statistics\n");
        assertThat(outbox.queued()).isEmpty();
        settled(dir.resolve("report.txt"));
        settled(dir.resolve("statistics"));
        assertThat(outbox.accept()).extracting(q -> q.description().getProperty("subject")).containsExactlyInAnyOrder("report", "Trade statistics");
    }
}
