/**
 * State and services that plugins publish for other plugins and for {@code qeventd status}.
 *
 * <p>A plugin gets its {@link io.qeventd.api.state.SharedState} by injection
 * ({@code @Inject SharedState state} in an extension's constructor) and, in a processor or resync hook,
 * publishes values per domain under typed {@link io.qeventd.api.state.StateKey}s:
 *
 * <pre>{@code
 * static final StateKey<RunState> RUN_STATE = StateKey.of("lifecycle.run-state", RunState.class);
 * ...
 * state.publish(ctx.domain().name(), RUN_STATE, new RunState("paused", "io-error"));
 * }</pre>
 *
 * <p>Other plugins read it with {@link io.qeventd.api.state.SharedState#get}; a value's type must then be
 * visible to the reader: a JDK type, or a class of the publishing plugin that the reader sees through a
 * PF4J {@code Plugin-Dependencies} entry. Everything a plugin version published goes away when that
 * version is unloaded or replaced by a reload; readers must therefore expect a value to be absent.
 */
package io.qeventd.api.state;
