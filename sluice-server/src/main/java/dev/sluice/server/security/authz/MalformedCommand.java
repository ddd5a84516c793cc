package dev.sluice.server.security.authz;

/** Thrown inside the privilege calculators for an argument they cannot read; becomes {@link CommandRequirement.Malformed}. */
final class MalformedCommand extends RuntimeException {
    MalformedCommand(String message) {
        super(message, null, false, false);
    }
}
