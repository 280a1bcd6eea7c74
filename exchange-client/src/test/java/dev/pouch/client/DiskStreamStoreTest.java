package dev.pouch.client;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskStreamStoreTest {

    private static final Identity EXCHANGE = Identity.exchange();
    private static final Identity OTHER = Identity.organization(OrgCode.of("FR-EMB"));

    @TempDir
    Path dir;

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void a_stream_broken_off_resumes_in_a_new_process_from_what_the_file_holds() throws Exception {
        byte[] data = bytes(300_000);
        DiskStreamStore first = new DiskStreamStore(dir, 1 << 20);
        assertThat(first.open(EXCHANGE, "d/main", data.length)).isZero();
        first.append(EXCHANGE, "d/main", 0, ByteString.copyFrom(data, 0, 100_000));

        DiskStreamStore second = new DiskStreamStore(dir, 1 << 20); // the agent restarted
        assertThat(second.open(EXCHANGE, "d/main", data.length)).isEqualTo(100_000);
        assertThat(second.open(OTHER, "d/main", data.length)).as("streams are owned by their sender").isZero();
        second.append(EXCHANGE, "d/main", 100_000, ByteString.copyFrom(data, 100_000, 200_000));
        assertThat(second.isComplete(EXCHANGE, "d/main")).isFalse();
        second.complete(EXCHANGE, "d/main", Sha256.digest(data));

        assertThat(second.isComplete(EXCHANGE, "d/main")).isTrue();
        assertThat(Files.readAllBytes(second.completed(EXCHANGE, "d/main").orElseThrow())).isEqualTo(data);
        assertThat(second.open(EXCHANGE, "d/main", data.length)).as("a complete stream is not sent again").isEqualTo(data.length);
        second.remove(EXCHANGE, "d/main");
        assertThat(second.completed(EXCHANGE, "d/main")).isEmpty();
    }

    @Test
    void chunks_out_of_order_a_wrong_size_and_a_wrong_digest_are_refused_and_a_bad_stream_discarded() {
        byte[] data = bytes(1000);
        DiskStreamStore store = new DiskStreamStore(dir, 1 << 20);
        store.open(EXCHANGE, "s", data.length);
        assertThatThrownBy(() -> store.append(EXCHANGE, "s", 10, ByteString.copyFrom(data, 10, 10)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OUT_OF_ORDER_CHUNK));
        assertThatThrownBy(() -> store.open(EXCHANGE, "s", 999))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_SIZE_MISMATCH));
        assertThatThrownBy(() -> store.open(EXCHANGE, "big", 2 << 20))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STREAM_TOO_LARGE));
        assertThatThrownBy(() -> store.append(EXCHANGE, "never-opened", 0, ByteString.copyFrom(data)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_STREAM));

        store.append(EXCHANGE, "s", 0, ByteString.copyFrom(data));
        byte[] other = Arrays.copyOf(data, data.length);
        other[5] ^= 1;
        assertThatThrownBy(() -> store.complete(EXCHANGE, "s", Sha256.digest(other)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_MISMATCH));
        assertThat(store.isComplete(EXCHANGE, "s")).isFalse();
        assertThat(store.open(EXCHANGE, "s", data.length)).as("discarded: starts afresh").isZero();
    }
}
