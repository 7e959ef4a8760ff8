package io.qeventd.runtime.config;

import io.qeventd.runtime.config.YamlNode.Mapping;
import io.qeventd.runtime.config.YamlNode.Mark;
import io.qeventd.runtime.journal.JournalSync;
import io.qeventd.runtime.work.WorkOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration's schema: which keys exist, their types, defaults and checks, one line per key.
 * Adding a key means one line here, a record component, and a row in docs/configuration.md.
 */
final class ConfigBinder {
    private final BindingContext context;

    ConfigBinder(BindingContext context) {
        this.context = context;
    }

    QeventdConfig bind(Mapping root) {
        QeventdConfig config = new SectionReader(root, "", context).read(this::root);
        context.reportUnknownKeys();
        return config;
    }

    private QeventdConfig root(SectionReader r) {
        PluginsConfig plugins = r.section("plugins", this::plugins);
        DispatchMode dispatch = r.choice("dispatch", DispatchMode.class, DispatchMode.PER_DOMAIN);
        int workers = r.integer("workers", 4, 1);
        int readers = r.integer("readers", 1, 1);
        int queueLimit = r.integer("queueLimit", WorkOptions.DEFAULT_QUEUE_LIMIT, 1);
        int queueLimitTotal = r.integer("queueLimitTotal",
                Math.max(queueLimit, WorkOptions.DEFAULT_QUEUE_LIMIT_TOTAL), 1);
        Optional<Path> journal = r.optionalPath("journal", "a file path");
        JournalSync journalSync = r.choice("journalSync", JournalSync.class, JournalSync.NEVER);
        Duration commandTimeout = r.duration("commandTimeout", Duration.ofSeconds(30));
        Duration slowThreshold = r.duration("slowThreshold", Duration.ofSeconds(10));
        Duration processTimeout = r.duration("processTimeout", WorkOptions.DEFAULT_PROCESS_TIMEOUT);
        Duration reloadDrainTimeout = r.duration("reloadDrainTimeout", Duration.ofSeconds(30));
        Duration connectTimeout = r.duration("connectTimeout", Duration.ofSeconds(5));
        AdminConfig admin = r.section("admin", this::admin);
        LogConfig log = r.section("log", this::log);
        Map<String, Mark> domainNames = new HashMap<>();
        List<DomainConfig> domains = r.list("domains", "a domain", d -> domain(d, domainNames));
        Map<String, Map<String, Object>> pluginSettings = r.freeFormSections("pluginSettings", "a plugin's settings");
        Optional<DiscoverConfig> discover = r.optionalSection("discover", this::discover);
        MetricsConfig metrics = r.section("metrics", this::metrics);
        EventsConfig events = r.section("events", this::events);
        Optional<JournalRotateConfig> journalRotate = r.optionalSection("journalRotate", this::journalRotate);
        Optional<KafkaConfig> kafka = r.optionalSection("kafka", this::kafka);
        if (r.has("queueLimitTotal") && queueLimitTotal < queueLimit) {
            r.reject("queueLimitTotal", "queueLimitTotal (" + queueLimitTotal + ") is less than queueLimit ("
                    + queueLimit + "): one domain could never fill its own queue");
        }
        if (journalRotate.isPresent() && journal.isEmpty()) {
            r.reject("journalRotate", "journalRotate needs 'journal' (the file to rotate)");
        }

        if (dispatch == DispatchMode.GLOBAL_FIFO) {
            // The libvirt-like mode is defined by its single worker; any other count would measure something else.
            if (r.has("workers") && workers != 1) {
                r.reject("workers", "dispatch 'global-fifo' runs exactly one worker; remove 'workers' or set it to 1");
            }
            workers = 1;
        }
        return new QeventdConfig(context.errors().file(), plugins, workers, readers, queueLimit, dispatch, journal,
                journalSync, commandTimeout, slowThreshold, processTimeout, reloadDrainTimeout, connectTimeout, admin,
                log, domains, pluginSettings, discover, metrics, events, journalRotate, kafka, queueLimitTotal);
    }

    private MetricsConfig metrics(SectionReader m) {
        return new MetricsConfig(m.optionalParsed("listen", "HOST:PORT", MetricsConfig::parseListen));
    }

    private EventsConfig events(SectionReader e) {
        return new EventsConfig(e.integer("recent", EventsConfig.DEFAULT_RECENT, 0),
                e.integer("clientBuffer", EventsConfig.DEFAULT_CLIENT_BUFFER, 1));
    }

    private JournalRotateConfig journalRotate(SectionReader j) {
        return new JournalRotateConfig(j.size("maxSize", JournalRotateConfig.DEFAULT_MAX_SIZE, 4096),
                j.integer("keep", JournalRotateConfig.DEFAULT_KEEP, 1), j.bool("gzip", false));
    }

    private KafkaConfig kafka(SectionReader k) {
        return new KafkaConfig(
                k.requiredString("bootstrapServers", "host:port[,host:port...]", KafkaConfig::serversProblem),
                k.string("topic", "a Kafka topic name", KafkaConfig.DEFAULT_TOPIC, KafkaConfig::topicProblem),
                k.string("host", "this host's name", KafkaConfig.localHostName(),
                        h -> h.isBlank() ? Optional.of("the host name is empty") : Optional.empty()),
                k.path("spool", "a directory path", context.resolve("kafka-spool")),
                k.size("spoolMaxSize", KafkaConfig.DEFAULT_SPOOL_MAX_SIZE, 1 << 20),
                k.stringMap("properties"));
    }

    private PluginsConfig plugins(SectionReader p) {
        return new PluginsConfig(
                p.path("dir", "a directory path", PluginsConfig.defaultDir(context.resolve("plugins"))),
                p.bool("watch", true),
                p.bool("allowWritable", false));
    }

    private AdminConfig admin(SectionReader a) {
        return new AdminConfig(a.path("socket", "a socket path", AdminConfig.defaultSocket(context.user())));
    }

    private LogConfig log(SectionReader l) {
        return new LogConfig(
                l.choice("level", LogConfig.Level.class, LogConfig.Level.INFO),
                l.choice("format", LogConfig.Format.class, LogConfig.Format.TEXT));
    }

    private DomainConfig domain(SectionReader d, Map<String, Mark> names) {
        String name = d.requiredString("name", "a domain name", DomainConfig::nameProblem);
        d.unique("name", name, names, "domain name");
        Path qmp = d.requiredPath("qmp", "a socket path", DomainConfig::qmpProblem);
        boolean reconnect = d.bool("reconnect", DomainConfig.DEFAULT_RECONNECT);
        Duration reconnectMaxDelay = d.duration("reconnectMaxDelay", DomainConfig.DEFAULT_RECONNECT_MAX_DELAY);
        Map<String, Mark> aliases = new HashMap<>();
        List<NicConfig> nics = d.list("nics", "a NIC", n -> nic(n, aliases));
        return new DomainConfig(name, qmp, reconnect, reconnectMaxDelay, nics);
    }

    private NicConfig nic(SectionReader n, Map<String, Mark> aliases) {
        String alias = n.requiredString("alias", "the QEMU device id", NicConfig::aliasProblem);
        n.unique("alias", alias, aliases, "NIC alias");
        return new NicConfig(
                alias,
                n.requiredString("hostDevice", "a host network interface name", NicConfig::hostDeviceProblem),
                n.optionalString("netns", "a network namespace name", NicConfig::netnsProblem),
                n.bool("trustGuestRxFilters", false));
    }

    private DiscoverConfig discover(SectionReader d) {
        return new DiscoverConfig(
                d.requiredPath("dir", "a directory path"),
                d.string("glob", "a file name pattern", DiscoverConfig.DEFAULT_GLOB, DiscoverConfig::globProblem));
    }
}
