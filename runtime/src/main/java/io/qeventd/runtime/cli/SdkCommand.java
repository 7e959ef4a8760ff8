package io.qeventd.runtime.cli;

import io.qeventd.api.ApiVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qeventd sdk}: what a plugin author builds against, carried by the distribution. */
@Command(name = "sdk", mixinStandardHelpOptions = true,
        description = "The plugin author's kit the distribution carries (api, plugin parent, test kit, archetype).",
        subcommands = {SdkCommand.InstallCommand.class})
final class SdkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.USAGE;
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Copy the SDK's artifacts (with the api's and test kit's sources and javadoc) from the"
                    + " distribution's sdk/repository into a local Maven repository, so that a plugin project, e.g."
                    + " one made with the archetype, builds with Maven and Maven Central alone.",
                "Exit 0 when installed, 1 when a file cannot be copied, 2 when the distribution has no SDK."})
    static final class InstallCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--local-repository", paramLabel = "DIR",
                description = "The local Maven repository (default: ~/.m2/repository; give Maven's"
                        + " -Dmaven.repo.local here if you use one).")
        Path localRepository;

        @Option(names = "--from", paramLabel = "DIR", hidden = true,
                description = "The SDK repository to install from (default: the distribution's sdk/repository).")
        Path from;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path source = from != null ? from : sdkRepository();
            if (source == null || !Files.isDirectory(source)) {
                err.println("qeventd sdk install: no SDK here" + (source == null ? "" : " (" + source + " is missing)")
                        + ": run the qeventd of a distribution, whose sdk/repository holds the SDK");
                err.flush();
                return Main.USAGE;
            }
            Path target = localRepository != null ? localRepository
                    : Path.of(System.getProperty("user.home"), ".m2", "repository");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                err.println("qeventd sdk install: cannot read " + source + ": " + e.getMessage());
                err.flush();
                return Main.FAILURE;
            }
            for (Path f : files) {
                Path to = target.resolve(source.relativize(f).toString());
                try {
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    err.println("qeventd sdk install: cannot copy " + f + " to " + to + ": " + e);
                    err.flush();
                    return Main.FAILURE;
                }
                if (f.getFileName().toString().endsWith(".pom")) {
                    out.println("installed " + f.getParent().getParent().getFileName() + " " + f.getParent().getFileName());
                }
            }
            out.println("SDK " + ApiVersion.get() + " installed in " + target + ". Start a plugin with:");
            out.println("  mvn archetype:generate -DarchetypeGroupId=io.qeventd"
                    + " -DarchetypeArtifactId=qeventd-plugin-archetype -DarchetypeVersion=" + ApiVersion.get());
            out.flush();
            return Main.OK;
        }

        private static Path sdkRepository() {
            String home = System.getProperty("qeventd.home");
            return home == null ? null : Path.of(home, "sdk", "repository");
        }
    }
}
