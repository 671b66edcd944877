package org.osprey.launcher;

/** A start-up problem the user can fix; its message is the one line the launcher prints. */
final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }
}
