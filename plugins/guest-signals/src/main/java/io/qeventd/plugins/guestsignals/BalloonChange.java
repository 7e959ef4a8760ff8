package io.qeventd.plugins.guestsignals;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of BALLOON_CHANGE and the reply of {@code query-balloon}: the guest's memory now, in bytes. */
public record BalloonChange(@JsonProperty("actual") long actual) {
}
