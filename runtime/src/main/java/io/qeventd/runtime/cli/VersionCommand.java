package io.qeventd.runtime.cli;

import io.qeventd.api.ApiVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code qeventd version}: the daemon's and the plugin api's versions. */
@Command(name = "version", description = "Print the qeventd and plugin api versions.", mixinStandardHelpOptions = true)
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : lines()) {
            System.out.println(line);
        }
        return Main.OK;
    }

    static String[] lines() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "qeventd " + (v == null ? "development build" : v),
            "plugin api " + ApiVersion.get(),
            "java " + System.getProperty("java.version")
        };
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
