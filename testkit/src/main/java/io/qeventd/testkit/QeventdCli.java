package io.qeventd.testkit;

import io.qeventd.runtime.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The {@code qeventd} command line run in the test's JVM, with what it printed: e.g.
 * {@code QeventdCli.run("plugin-command", "my-plugin", "resync", "--domain", "vm1", "--socket", daemon.adminSocket.toString())}
 * against a {@link TestDaemon}.
 *
 * @param exit the exit code ({@code 0} success, {@code 1} failure, {@code 2} usage or configuration error)
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record QeventdCli(int exit, String out, String err) {
    /** Runs {@code qeventd ARGS...} and waits for it to finish. */
    public static QeventdCli run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new QeventdCli(exit, out.toString(), err.toString());
    }
}
