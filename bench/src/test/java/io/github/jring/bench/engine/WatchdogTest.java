package io.github.jring.bench.engine;

import io.github.jring.bench.run.Progress;
import io.github.jring.bench.run.RunResult;
import io.github.jring.bench.run.Runner;
import io.github.jring.bench.target.Target;
import io.github.jring.core.IoUring;
import io.github.jring.core.Posix;
import io.github.jring.core.Sqe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's watchdog against a job that really stalls: {@link UringJob}'s loop reading from a pipe that gets no
 * data, so that its thread blocks in {@code io_uring_enter} for completions that do not come, with its reads in flight
 * in the kernel (armed on the pipe, about to write into the job's buffers).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchdogTest {
    private static final int BS = 4096;
    private static final int DEPTH = 2;

    @TempDir
    Path dir;

    /** {@link UringJob} on reads from a pipe: each I/O reads {@code bs} bytes from the pipe's read end. */
    private static final class PipeEngine implements Engine {
        private final int readFd;

        PipeEngine(int readFd) {
            this.readFd = readFd;
        }

        @Override
        public String name() {
            return "pipe-read";
        }

        @Override
        public String description() {
            return "io_uring reads from a pipe (a test of the runner's watchdog)";
        }

        @Override
        public boolean inDefaultSet(Target target) {
            return false;
        }

        @Override
        public String unsupportedReason(Target target, JobSpec spec) {
            return null;
        }

        @Override
        public FioEquivalent fioEquivalent(Target target, JobSpec spec) {
            return FioEquivalent.none("a test engine");
        }

        @Override
        public EngineJob open(JobContext ctx) throws IOException {
            return new UringJob(ctx, IoUring.open(8)) {
                @Override
                protected void prepare(Sqe sqe, int slot, boolean isRead, long offset) {
                    sqe.prepRead(readFd, slotBuffers[slot], BS, -1L);
                }

                @Override
                protected IOException failure(int res, boolean isRead, long offset) {
                    return res == BS ? null : new IOException("pipe read: " + res);
                }

                @Override
                protected void closeResources() {
                }
            };
        }
    }

    private Target target() throws IOException {
        Path file = Files.write(dir.resolve("unused"), new byte[BS * 4]);
        return new Target(Target.Kind.FILE, file, file, null, BS * 4, 512, 0, false);
    }

    private static JobSpec spec(long runtimeNanos) {
        return new JobSpec(Rw.READ, 100, BS, DEPTH, DEPTH, 1, BS * 4, runtimeNanos, 0, 0, false, false, false, false,
                false, 1, 1, false, 1L);
    }

    private static Thread jobThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jring-bench-pipe-read-0") && t.isAlive()).findFirst().orElse(null);
    }

    @Test
    void aRunWhoseIoNeverCompletesFailsNamingTheJobItsDepthAndTheWaitAndKeepsTheBuffersTheKernelMayWrite()
            throws Exception {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            Runner runner = new Runner();
            runner.watchdog(TimeUnit.MILLISECONDS.toNanos(1500));
            long start = System.nanoTime();
            RunResult r = runner.run(new PipeEngine(pipe[0]), target(), spec(TimeUnit.SECONDS.toNanos(30)),
                    Progress.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertTrue(seconds < 10, "the run ended by the watchdog, long before its 30 s runtime: " + seconds + " s");
            assertTrue(r.failed(), "a stalled run fails");
            String e = r.error();
            assertTrue(e.startsWith("watchdog: pipe-read qd=2: job 0 completed no I/O for "), e);
            assertTrue(e.contains(", 2 I/Os in flight (--watchdog 1.5 s)"), e);
            assertTrue(e.contains("job 0 did not end within 1.5 s more: its thread, ring and buffers are left as they"
                    + " are"), e);
            assertEquals(0, r.allIos());

            // The job's thread still waits in the kernel, its reads armed on the pipe: nothing was freed under them.
            Thread job = jobThread();
            assertTrue(job != null, "the stalled job's thread is left running");
            // Data for both reads: they complete into the buffers that were kept, the job sees the stop and ends,
            // and only then closes its ring and frees its buffers.
            MemorySegment data = arena.allocate(BS * DEPTH);
            data.fill((byte) 7);
            assertEquals(BS * DEPTH, Posix.write(pipe[1], data));
            job.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(job.isAlive(), "the job ends once its I/O completes");
        } finally {
            Posix.closeQuietly(pipe);
        }
    }

    @Test
    void aJobThatCompletesWithinTheWatchdogIsNotStopped() throws Exception {
        int[] pipe = Posix.pipe(Posix.O_CLOEXEC);
        try (Arena arena = Arena.ofShared()) {
            // The reads wait 0.5 s for their data, a third of the watchdog's time: the run ends as planned.
            Runner runner = new Runner();
            runner.watchdog(TimeUnit.MILLISECONDS.toNanos(1500));
            MemorySegment data = arena.allocate(BS * DEPTH);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(500);
                    Posix.write(pipe[1], data);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            RunResult r = runner.run(new PipeEngine(pipe[0]), target(),
                    new JobSpec(Rw.READ, 100, BS, DEPTH, DEPTH, 1, BS * 4, 0, 0, DEPTH, false, false, false, false,
                            false, 1, 1, false, 1L), Progress.NONE);
            writer.join();
            assertFalse(r.failed(), String.valueOf(r.error()));
            assertEquals(DEPTH, r.allIos());
        } finally {
            Posix.closeQuietly(pipe);
        }
    }
}
