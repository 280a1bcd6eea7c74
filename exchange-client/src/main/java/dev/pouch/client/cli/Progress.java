package dev.pouch.client.cli;

import dev.pouch.client.ExchangeClient;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Shows how an upload advances, on standard error: a progress bar on a terminal for a transfer
 * large enough to take a moment, plain lines at each quarter otherwise (logs, scripts), nothing
 * for small documents or with {@code --json}.
 */
final class Progress implements ExchangeClient.UploadListener, AutoCloseable {

    private static final long BAR_FROM = 4L << 20;
    private static final long LINES_FROM = 16L << 20;

    private final String task;
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal = System.console() != null;
    private ProgressBar bar;
    private long total;
    private int quarter;

    private Progress(String task, PrintWriter err, boolean quiet) {
        this.task = task;
        this.err = err;
        this.quiet = quiet;
    }

    static Progress start(Output out, String task) {
        return new Progress(task, out.err(), out.json());
    }

    @Override
    public synchronized void started(long totalBytes) {
        this.total = totalBytes;
        if (quiet) {
            return;
        }
        if (terminal && totalBytes >= BAR_FROM) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes).setUnit(" MiB", 1L << 20)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().build();
        } else if (totalBytes >= LINES_FROM) {
            err.println(task + ": " + (totalBytes >> 20) + " MiB sealed, uploading");
            err.flush();
        }
    }

    @Override
    public synchronized void progress(long uploadedBytes) {
        if (bar != null) {
            bar.stepTo(uploadedBytes);
        } else if (!quiet && total >= LINES_FROM) {
            int q = (int) (uploadedBytes * 4 / total);
            if (q > quarter) {
                quarter = q;
                err.println(task + ": " + (q * 25) + "% uploaded");
                err.flush();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
