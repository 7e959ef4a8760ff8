package io.qeventd.runtime.discover;

import io.qeventd.runtime.config.DomainConfig;
import io.qeventd.runtime.domain.DomainRegistry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches discovered sockets as domains and detaches them when their socket goes. A domain of the same
 * name that is attached already (from the configuration) wins: the socket is ignored, and its vanishing
 * leaves that domain alone.
 */
public final class DiscoveredDomains implements SocketDiscovery.Listener {
    private static final Logger log = LoggerFactory.getLogger(DiscoveredDomains.class);

    private final DomainRegistry domains;
    private final Consumer<DomainConfig> attach;
    private final Set<String> discovered = new HashSet<>(); // touched only on the discovery thread

    /** @param attach attaches a domain as the daemon does for configured ones */
    public DiscoveredDomains(DomainRegistry domains, Consumer<DomainConfig> attach) {
        this.domains = domains;
        this.attach = attach;
    }

    @Override
    public void appeared(String domain, Path socket) {
        if (domains.get(domain).isPresent()) {
            log.warn("discover: {} would be domain '{}', but a domain of that name is attached already; ignored",
                    socket, domain);
            return;
        }
        attach.accept(DomainConfig.withDefaults(domain, socket));
        discovered.add(domain);
    }

    @Override
    public void vanished(String domain, Path socket) {
        if (discovered.remove(domain)) {
            domains.detach(domain);
        }
    }
}
