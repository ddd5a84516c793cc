package dev.sluice.server.testing;

import java.util.concurrent.atomic.AtomicReference;

/** A member's failCommand failpoint: at most one {@link FailCommand} at a time, counting down its times. */
final class FailPoint {
    private record Armed(FailCommand command, int remaining) {
    }

    private final AtomicReference<Armed> armed = new AtomicReference<>();

    /** Arms {@code command} (null: off), replacing the one armed before. */
    void set(FailCommand command) {
        armed.set(command == null ? null : new Armed(command, command.times()));
    }

    /** The failpoint to apply to this command, counting it down; null when none matches. */
    FailCommand take(String commandName, String appName) {
        while (true) {
            Armed current = armed.get();
            if (current == null || !current.command().commands().contains(commandName)
                    || (current.command().appName() != null && !current.command().appName().equals(appName))) {
                return null;
            }
            if (current.remaining() < 0) {
                return current.command();
            }
            Armed next = current.remaining() <= 1 ? null : new Armed(current.command(), current.remaining() - 1);
            if (armed.compareAndSet(current, next)) {
                return current.command();
            }
        }
    }
}
