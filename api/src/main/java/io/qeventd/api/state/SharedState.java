package io.qeventd.api.state;

import java.util.Map;
import java.util.Optional;

/**
 * A plugin's handle on the daemon's shared state: what it publishes per domain (run state, jobs, devices,
 * migration...) and the services it offers other plugins, and what other plugins published.
 *
 * <p>Inject it ({@code @Inject SharedState state}); each plugin gets its own handle, which records the
 * plugin as the publisher. Publish from processors, resync hooks or {@code handlers()} (services); a jar the
 * daemon only checks ({@code plugins check}, or before a load) gets a handle on a registry of its own, so
 * nothing it publishes reaches the daemon. Everything published through a handle is withdrawn when its
 * plugin version is unloaded or replaced by a reload; a new version publishes again (its resync hooks run
 * after the reload). Safe to use from any thread.
 */
public interface SharedState {
    /**
     * Publishes this plugin's value of {@code key} for {@code domain}, replacing the previous one.
     *
     * @throws IllegalStateException    another plugin publishes under that key's name
     * @throws IllegalArgumentException the value is not of the key's type
     */
    <T> void publish(String domain, StateKey<T> key, T value);

    /** Withdraws this plugin's value of {@code key} for {@code domain}, if any. */
    void withdraw(String domain, StateKey<?> key);

    /** The value of {@code key} for {@code domain}, whichever plugin published it. */
    <T> Optional<T> get(String domain, StateKey<T> key);

    /**
     * Offers a service to other plugins (not tied to one domain), replacing this plugin's previous one.
     *
     * @throws IllegalStateException    another plugin offers a service under that key's name
     * @throws IllegalArgumentException the service is not of the key's type
     */
    <T> void provide(StateKey<T> key, T service);

    /** The service offered under {@code key}, whichever plugin offers it. */
    <T> Optional<T> service(StateKey<T> key);

    /** Every domain's value of {@code key}, by domain name. */
    <T> Map<String, T> all(StateKey<T> key);
}
