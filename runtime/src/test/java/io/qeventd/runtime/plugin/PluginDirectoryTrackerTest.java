package io.qeventd.runtime.plugin;

import static io.qeventd.runtime.plugin.PluginDirectoryTracker.Kind.ADDED;
import static io.qeventd.runtime.plugin.PluginDirectoryTracker.Kind.CHANGED;
import static io.qeventd.runtime.plugin.PluginDirectoryTracker.Kind.REMOVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.qeventd.runtime.plugin.PluginDirectoryTracker.Change;
import io.qeventd.runtime.plugin.PluginDirectoryTracker.FileState;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginDirectoryTrackerTest {
    static final long STABLE = 100;
    static final Path A = Path.of("/plugins/a.jar");
    static final Path B = Path.of("/plugins/b.jar");
    static final Path C = Path.of("/plugins/c.jar");

    final PluginDirectoryTracker tracker = new PluginDirectoryTracker(STABLE);

    static FileState state(long size, long inode) {
        FileTime t = FileTime.fromMillis(1_000 + size);
        return new FileState(size, t, inode, t);
    }

    @Test
    void newFileIsReportedOnlyWhenTwoLooksIntervalApartAgree() {
        assertThat(tracker.look(Map.of(A, state(10, 1)), 0)).isEmpty();
        assertThat(tracker.unsettled()).containsExactly(A);
        assertThat(tracker.look(Map.of(A, state(10, 1)), STABLE - 1)).isEmpty();

        assertThat(tracker.look(Map.of(A, state(10, 1)), STABLE)).containsExactly(new Change(ADDED, A));
        assertThat(tracker.unsettled()).isEmpty();
        assertThat(tracker.look(Map.of(A, state(10, 1)), 5 * STABLE)).isEmpty();
    }

    @Test
    void growingFileIsHeldBackUntilItStopsGrowing() {
        tracker.look(Map.of(A, state(10, 1)), 0);
        assertThat(tracker.look(Map.of(A, state(20, 1)), STABLE)).isEmpty();
        assertThat(tracker.look(Map.of(A, state(30, 1)), 2 * STABLE)).isEmpty();
        assertThat(tracker.nextConfirmation()).isEqualTo(3 * STABLE);

        assertThat(tracker.look(Map.of(A, state(30, 1)), 3 * STABLE)).containsExactly(new Change(ADDED, A));
    }

    @Test
    void replacementWithNewInodeOfSameSizeIsAChange() {
        settle(Map.of(A, state(10, 1)));
        FileState sameSizeOtherInode = new FileState(10, FileTime.fromMillis(1_010), 2L, FileTime.fromMillis(1_010));

        tracker.look(Map.of(A, sameSizeOtherInode), 10 * STABLE);
        assertThat(tracker.look(Map.of(A, sameSizeOtherInode), 11 * STABLE)).containsExactly(new Change(CHANGED, A));
    }

    @Test
    void removalIsReportedAtOnce() {
        settle(Map.of(A, state(10, 1)));

        assertThat(tracker.look(Map.of(), 10 * STABLE)).containsExactly(new Change(REMOVED, A));
        assertThat(tracker.isReported(A)).isFalse();
    }

    @Test
    void oneLookReportsRemovalsThenChangesThenAdditionsEachByName() {
        settle(Map.of(B, state(10, 2), C, state(10, 3), A, state(10, 1)));
        Path d = Path.of("/plugins/d.jar");
        Path e = Path.of("/plugins/e.jar");
        assertThat(tracker.look(Map.of(A, state(10, 1), B, state(10, 2), C, state(11, 3), e, state(5, 5),
                d, state(5, 4)), 10 * STABLE)).isEmpty();
        Map<Path, FileState> next = Map.of(C, state(11, 3), e, state(5, 5), d, state(5, 4));

        assertThat(tracker.look(next, 11 * STABLE)).containsExactly(
                new Change(REMOVED, A), new Change(REMOVED, B), new Change(CHANGED, C),
                new Change(ADDED, d), new Change(ADDED, e));
    }

    @Test
    void acceptAllReportsPresentFilesWithoutWaiting() {
        assertThat(tracker.acceptAll(Map.of(B, state(1, 2), A, state(1, 1))))
                .containsExactly(new Change(ADDED, A), new Change(ADDED, B));
        assertThat(tracker.look(Map.of(A, state(1, 1), B, state(1, 2)), 1)).isEmpty();
    }

    @Test
    void changeUndoneBetweenLooksIsNotReported() {
        settle(Map.of(A, state(10, 1)));
        tracker.look(Map.of(A, state(99, 1)), 10 * STABLE);

        assertThat(tracker.look(Map.of(A, state(10, 1)), 11 * STABLE)).isEmpty();
        assertThat(tracker.look(Map.of(A, state(10, 1)), 20 * STABLE)).isEmpty();
    }

    private void settle(Map<Path, FileState> files) {
        tracker.look(files, 0);
        assertThat(tracker.look(files, STABLE)).hasSize(files.size());
    }
}
