package io.github.jring.bench.engine;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * The JDK's own {@link AsynchronousFileChannel} (its default provider's, whatever {@code -D} options say): on Linux a
 * thread pool doing blocking {@code pread}/{@code pwrite}; {@link ExtendedOpenOption#DIRECT} with {@code --direct=1}.
 * The baseline for {@link JringFileChannelEngine}.
 */
public final class JdkAsyncFileChannelEngine extends AsyncFileChannelEngine {

    @Override
    public String name() {
        return "filechannel-async";
    }

    @Override
    public String description() {
        return "java.nio AsynchronousFileChannel, the JDK's (a thread pool doing pread/pwrite), CompletionHandlers, "
                + "iodepth in flight";
    }

    @Override
    AsynchronousFileChannel open(Path path, Set<OpenOption> options, boolean direct) throws IOException {
        if (direct) options.add(ExtendedOpenOption.DIRECT);
        return FileSystems.getDefault().provider().newAsynchronousFileChannel(path, options, null);
    }
}
