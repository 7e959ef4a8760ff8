package io.qeventd.testkit.qmp;

import java.time.Duration;
import java.util.Optional;

/** What {@link FakeQmpServer.Builder} collected; the greeting is empty when withheld. */
record ServerOptions(Optional<String> greeting, byte[] beforeGreeting, LineEnding lineEnding,
                     Duration splitPause, boolean startPaused) {
}
