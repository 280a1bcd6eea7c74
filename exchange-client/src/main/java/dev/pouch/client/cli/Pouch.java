package dev.pouch.client.cli;

import dev.pouch.client.ClientException;
import dev.pouch.crypto.CryptoException;
import dev.pouch.protocol.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code pouch} command: send, receive, sign for, reply, ask the status, seal and open files
 * offline, run an office's sync agent, and generate load. Every refusal prints its error code and
 * a sentence, and exits with a code saying where the problem is.
 */
@Command(name = "pouch", mixinStandardHelpOptions = true, version = "pouch 0.1.0",
        description = "Pouch, the secure exchange between headquarters and the overseas offices.",
        subcommands = {SendCommand.class, InboxCommand.class, FetchCommand.class, SignForCommand.class, ReplyCommand.class,
                StatusCommand.class, SealCommand.class, OpenCommand.class, VerifyReceiptCommand.class, SyncCommand.class,
                CredentialsCommand.class, BatchCommand.class, SurveyCommand.class, dev.pouch.client.bench.BenchCommand.class,
                StatsCommand.class, SearchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done", "  1  the exchange refused (the error code says why)", "  2  the command line is wrong",
                "  3  credentials: missing, wrong password, expired", "  4  bad input (unknown organization, missing file...):"
                + " nothing was sent", "  5  the exchange could not be reached", "  6  the local folder could not be written",
                "  7  a document or receipt does not verify", " 70  an internal error (a bug: please report it)"})
public final class Pouch {

    public static final int REFUSED = 1;
    public static final int CREDENTIALS = 3;
    public static final int INVALID_INPUT = 4;
    public static final int UNREACHABLE = 5;
    public static final int LOCAL_STORE = 6;
    public static final int VERIFICATION = 7;
    public static final int INTERNAL = 70;

    private Pouch() {
    }

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs the command with the given streams and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean json = Arrays.asList(args).contains("--json");
        CommandLine cl = new CommandLine(Pouch.class);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, json, out, err));
        return cl.execute(args);
    }

    private static int report(Exception e, boolean json, PrintWriter out, PrintWriter err) {
        ClientException c = e instanceof ClientException ce ? ce
                : e instanceof CryptoException x ? new ClientException(ClientException.Kind.VERIFICATION,
                        ErrorCode.of(x.error()), x.getMessage(), x)
                : null;
        if (c == null) {
            err.println("pouch: internal error: " + e);
            if (System.getenv("POUCH_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("(set POUCH_DEBUG=1 for the details)");
            }
            err.flush();
            return INTERNAL;
        }
        String code = c.code().map(k -> k.code() + " " + k.name()).orElse(c.kind().name());
        err.println("pouch: error " + code + ": " + c.getMessage());
        if (c.retryable()) {
            err.println("(this may work if you try again later)");
        }
        err.flush();
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("kind", c.kind().name());
            c.code().ifPresent(k -> {
                error.put("code", k.code());
                error.put("name", k.name());
            });
            error.put("message", c.getMessage());
            error.put("retryable", c.retryable());
            out.println(Json.write(Map.of("ok", false, "error", error)));
            out.flush();
        }
        return exitCode(c);
    }

    static int exitCode(ClientException c) {
        return switch (c.kind()) {
            case REFUSED -> REFUSED;
            case CREDENTIALS -> CREDENTIALS;
            case INVALID_INPUT -> INVALID_INPUT;
            case UNREACHABLE -> UNREACHABLE;
            case LOCAL_STORE -> LOCAL_STORE;
            case VERIFICATION -> VERIFICATION;
        };
    }
}
