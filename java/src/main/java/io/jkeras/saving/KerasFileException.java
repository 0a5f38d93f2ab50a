package io.jkeras.saving;

import java.nio.file.Path;

/**
 * A model file that cannot be loaded or written: truncated, corrupted, of an unknown layout, or not matching the
 * model it describes. The message names the file and the problem. It is an {@link IllegalArgumentException}, as
 * every invalid argument of the library is.
 */
public class KerasFileException extends IllegalArgumentException {
    private final transient Path file;

    public KerasFileException(Path file, String problem) {
        super(message(file, problem));
        this.file = file;
    }

    public KerasFileException(Path file, String problem, Throwable cause) {
        super(message(file, problem), cause);
        this.file = file;
    }

    /** The file concerned (null when the data came from memory). */
    public Path file() {
        return file;
    }

    private static String message(Path file, String problem) {
        return (file == null ? "<in memory>" : file.toString()) + ": " + problem;
    }
}
