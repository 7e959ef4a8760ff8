package io.qeventd.testkit.qmp;

import java.util.List;

/** A scripted QMP exchange did not go as scripted: unexpected commands, failing responders, unused items. */
public final class ScriptException extends IllegalStateException {

    private final transient List<String> problems;

    public ScriptException(String where, List<String> problems) {
        super("QMP script on " + where + " did not go as scripted:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per problem, in the order they happened (unused items last). */
    public List<String> problems() {
        return problems;
    }
}
