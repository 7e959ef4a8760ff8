package io.qeventd.plugins.blockerrors;

import io.qeventd.api.state.StatusFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One domain's disk errors and write thresholds, as this plugin publishes them.
 *
 * @param errors         the last error of each disk that had one, by device
 * @param thresholds     write thresholds by node
 * @param pausedNoSpace  whether QEMU paused the guest on an ENOSPC error and nobody resumed it since
 */
public record BlockErrorState(Map<String, DeviceError> errors, Map<String, WriteThreshold> thresholds,
                              boolean pausedNoSpace) implements StatusFields {
    static final BlockErrorState NONE = new BlockErrorState(Map.of(), Map.of(), false);

    public BlockErrorState {
        errors = Map.copyOf(errors);
        thresholds = Map.copyOf(thresholds);
    }

    BlockErrorState withError(DeviceError error) {
        Map<String, DeviceError> e = new LinkedHashMap<>(errors);
        e.put(error.device(), error);
        boolean paused = pausedNoSpace || error.noSpace() && "stop".equals(error.action());
        return new BlockErrorState(e, thresholds, paused);
    }

    BlockErrorState withThreshold(WriteThreshold threshold) {
        Map<String, WriteThreshold> t = new LinkedHashMap<>(thresholds);
        t.put(threshold.node(), threshold);
        return new BlockErrorState(errors, t, pausedNoSpace);
    }

    BlockErrorState withPausedNoSpace(boolean paused) {
        return new BlockErrorState(errors, thresholds, paused);
    }

    @Override
    public Map<String, Object> statusFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("errors", errors.values().stream().map(e -> e.device() + " " + e.operation() + " " + e.action()
                + (e.noSpace() ? " nospace" : "")).sorted().collect(Collectors.joining("; ")));
        fields.put("thresholds", thresholds.values().stream().map(t -> t.node() + " " + t.threshold()
                + (t.armed() ? " armed" : " fired +" + t.exceeded())).sorted().collect(Collectors.joining("; ")));
        fields.put("paused on ENOSPC", pausedNoSpace);
        return fields;
    }
}
