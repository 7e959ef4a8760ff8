package io.qeventd.runtime.cli;

import io.qeventd.runtime.admin.AdminException;
import io.qeventd.runtime.config.ConfigException;
import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.record.DomainRecording;
import io.qeventd.runtime.record.QmpRecorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code qeventd record}: a domain's QMP stream into a file, for {@code qeventd replay} and plugin tests. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Record a domain's QMP stream as JSON lines: QEMU's greeting and every event with the time it"
                + " came; with --serve also the commands a client (the daemon, a plugin under development) sends"
                + " through the recorder and QEMU's replies. Passwords and secret objects in commands are redacted.",
            "--qmp records a QEMU monitor socket that nobody else uses (QEMU takes one client per socket); --domain"
                + " records a domain a running daemon watches, through the daemon (found with --config or --socket"
                + " as 'qeventd status' finds it), with the daemon's own commands and QEMU's replies.",
            "Runs until QEMU closes the monitor, SIGINT/SIGTERM or --duration. Exit 0 when recorded, 1 when QEMU or"
                + " the daemon cannot be reached or the daemon cut the recording off, 2 on a usage error."})
final class RecordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--qmp", required = true, paramLabel = "SOCKET", description = "QEMU's QMP monitor socket.")
        Path qmp;

        @Option(names = "--domain", required = true, paramLabel = "NAME",
                description = "A domain the running daemon watches.")
        String domain;
    }

    @ArgGroup(exclusive = true)
    StatusCommand.Target target;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The recording to write.")
    Path out;

    @Option(names = "--serve", paramLabel = "SOCKET",
            description = "With --qmp: also serve QMP on SOCKET to one client at a time (point the daemon's domain at"
                    + " it), and record its commands with QEMU's replies.")
    Path serve;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 30s, 5m); default: until stopped.")
    Duration duration;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "With --domain: how long to wait for the daemon to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter err = spec.commandLine().getErr();
        if (source.domain != null && serve != null) {
            return usage(err, "--serve goes with --qmp: with --domain the daemon is the client being recorded");
        }
        if (source.qmp != null && target != null) {
            return usage(err, "--config and --socket find a daemon for --domain; --qmp records a socket directly");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            return usage(err, "--duration must be positive, got " + duration);
        }
        return source.domain != null ? recordDomain(err) : recordSocket(err);
    }

    private int recordSocket(PrintWriter err) throws InterruptedException {
        QmpRecorder recorder;
        try {
            recorder = QmpRecorder.start(source.qmp, out, serve);
        } catch (IOException e) {
            err.println("qeventd record: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        err.println("qeventd record: recording " + source.qmp + " into " + out
                + (serve == null ? "" : "; clients connect to " + serve) + "; stop with Ctrl-C");
        err.flush();
        Runnable restore = Signals.onTermination(() -> closeQuietly(recorder));
        try {
            if (duration == null) {
                recorder.finished().get();
            } else {
                recorder.finished().get(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            // --duration passed
        } catch (ExecutionException e) {
            err.println("qeventd record: " + e.getCause());
        } finally {
            restore.run();
            closeQuietly(recorder);
        }
        err.println("qeventd record: " + recorder.events() + " events recorded in " + out);
        err.flush();
        return Main.OK;
    }

    private int recordDomain(PrintWriter err) {
        Path socket;
        try {
            socket = StatusCommand.socket(target);
        } catch (ConfigException e) {
            err.println("qeventd record: invalid configuration:");
            err.println(e.getMessage());
            err.flush();
            return Main.USAGE;
        }
        DomainRecording recording;
        try {
            recording = DomainRecording.start(socket, source.domain, out, timeout);
        } catch (AdminException e) {
            err.println("qeventd record: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        } catch (IOException e) {
            err.println("qeventd record: cannot create " + out + ": " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        err.println("qeventd record: recording domain '" + source.domain + "' (QEMU " + recording.qemuVersion()
                + ") through the daemon on " + socket + " into " + out + "; stop with Ctrl-C");
        err.flush();
        Runnable restore = Signals.onTermination(recording::stop);
        DomainRecording.Result result;
        try {
            result = recording.run(duration);
        } catch (IOException | RuntimeException e) {
            err.println("qeventd record: " + e.getMessage() + "; " + recording.events() + " events recorded in " + out);
            err.flush();
            return Main.FAILURE;
        } finally {
            restore.run();
            try {
                recording.close();
            } catch (IOException e) {
                err.println("qeventd record: closing " + out + ": " + e.getMessage());
            }
        }
        String done = result.events() + " events recorded in " + out;
        switch (result.end()) {
            case CUT_OFF -> err.println("qeventd record: cut off: this client did not keep up and the daemon dropped "
                    + result.missed() + " line(s); the recording ends before them; " + done);
            case CONNECTION_LOST -> err.println("qeventd record: the daemon closed the connection (did it stop?); "
                    + done);
            case MONITOR_ENDED -> err.println("qeventd record: " + result.reason() + "; " + done);
            default -> err.println("qeventd record: " + done);
        }
        err.flush();
        return result.end() == DomainRecording.End.CUT_OFF || result.end() == DomainRecording.End.CONNECTION_LOST
                ? Main.FAILURE : Main.OK;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("qeventd record: " + message);
        err.flush();
        return Main.USAGE;
    }

    private static void closeQuietly(QmpRecorder recorder) {
        try {
            recorder.close();
        } catch (IOException e) {
            // the recording is flushed line by line: nothing is lost by a failed close
        }
    }
}
