package org.osprey.api.command;

/** A command that could not be carried out, with an HTTP-like status for the caller and a reason for humans. */
public class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The request was wrong: a missing or invalid argument. */
    public static final int BAD_REQUEST = 400;
    /** What the request names does not exist: an unknown model, camera or command. */
    public static final int NOT_FOUND = 404;
    /** The gateway failed to carry out a valid request. */
    public static final int FAILED = 500;

    private final int status;

    public CommandException(int status, String message) {
        super(message);
        this.status = status;
    }

    public CommandException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return {@link #BAD_REQUEST}, {@link #NOT_FOUND}, {@link #FAILED} or another HTTP-like status */
    public int status() {
        return status;
    }
}
