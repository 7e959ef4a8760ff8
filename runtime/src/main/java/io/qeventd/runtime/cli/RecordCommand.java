package io.qeventd.runtime.cli;

import io.qeventd.runtime.config.LogConfig;
import io.qeventd.runtime.record.QmpRecorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
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
            "Runs until QEMU closes the monitor or SIGINT/SIGTERM. Exit 0 when recorded, 1 when QEMU cannot be"
                + " reached, 2 on a usage error."})
final class RecordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main parent;

    @Option(names = "--qmp", required = true, paramLabel = "SOCKET", description = "QEMU's QMP monitor socket.")
    Path qmp;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The recording to write.")
    Path out;

    @Option(names = "--serve", paramLabel = "SOCKET",
            description = "Also serve QMP on SOCKET to one client at a time (point the daemon's domain at it), and"
                    + " record its commands with QEMU's replies.")
    Path serve;

    @Override
    public Integer call() throws InterruptedException {
        parent.applyLogging(null, LogConfig.Level.WARN);
        PrintWriter err = spec.commandLine().getErr();
        QmpRecorder recorder;
        try {
            recorder = QmpRecorder.start(qmp, out, serve);
        } catch (IOException e) {
            err.println("qeventd record: " + e.getMessage());
            err.flush();
            return Main.FAILURE;
        }
        err.println("qeventd record: recording " + qmp + " into " + out
                + (serve == null ? "" : "; clients connect to " + serve) + "; stop with Ctrl-C");
        err.flush();
        Runnable restore = Signals.onTermination(() -> closeQuietly(recorder));
        try {
            recorder.finished().get();
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

    private static void closeQuietly(QmpRecorder recorder) {
        try {
            recorder.close();
        } catch (IOException e) {
            // the recording is flushed line by line: nothing is lost by a failed close
        }
    }
}
