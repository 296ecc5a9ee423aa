package io.github.jring.bench.engine;

import io.github.jring.core.nio.JringOpenOption;
import io.github.jring.core.nio.UringFileChannel;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * jring's {@link AsynchronousFileChannel} ({@link UringFileChannel}: io_uring, handlers on the ring's thread),
 * driven exactly as {@link JdkAsyncFileChannelEngine} drives the JDK's; {@link JringOpenOption#DIRECT} with
 * {@code --direct=1}.
 */
public final class JringFileChannelEngine extends AsyncFileChannelEngine {

    @Override
    public String name() {
        return "jring-filechannel";
    }

    @Override
    public String description() {
        return "java.nio AsynchronousFileChannel, jring's (io_uring), CompletionHandlers, iodepth in flight";
    }

    @Override
    public int order() {
        return 56;
    }

    @Override
    AsynchronousFileChannel open(Path path, Set<OpenOption> options, boolean direct) throws IOException {
        if (direct) options.add(JringOpenOption.DIRECT);
        return UringFileChannel.open(path, options, null);
    }
}
