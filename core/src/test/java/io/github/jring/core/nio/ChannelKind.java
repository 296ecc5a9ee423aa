package io.github.jring.core.nio;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.FileSystems;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The two implementations the contract tests run against: the JDK's own and jring's. */
enum ChannelKind {
    JDK {
        @Override
        AsynchronousFileChannel open(Path path, Set<? extends OpenOption> options, ExecutorService executor,
                                     FileAttribute<?>... attrs) throws IOException {
            return FileSystems.getDefault().provider().newAsynchronousFileChannel(path, options, executor, attrs);
        }
    },
    JRING {
        @Override
        AsynchronousFileChannel open(Path path, Set<? extends OpenOption> options, ExecutorService executor,
                                     FileAttribute<?>... attrs) throws IOException {
            return UringFileChannel.open(path, options, executor, attrs);
        }
    };

    abstract AsynchronousFileChannel open(Path path, Set<? extends OpenOption> options, ExecutorService executor,
                                          FileAttribute<?>... attrs) throws IOException;

    AsynchronousFileChannel open(Path path, OpenOption... options) throws IOException {
        return open(path, new HashSet<>(Arrays.asList(options)), null);
    }
}
