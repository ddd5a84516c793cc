package dev.sluice.server.topology;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.Objects;

/**
 * An error on an application (pooled) connection to a server, reported to {@link Topology#onError}.
 *
 * @param phase            before or after the connection's handshake completed
 * @param kind             network error, timeout or command error
 * @param generation       the pool generation of the failing connection (before the handshake: the pool's generation
 *                         when the connection attempt started); errors from older generations are ignored
 * @param code             the server's error code (command errors), or null
 * @param message          the error text
 * @param topologyVersion  the {@code topologyVersion} in the error reply, or null
 * @param systemOverloaded the error carries the {@code SystemOverloadedError} label (backpressure: not a sign of an
 *                         unavailable server)
 */
public record ApplicationError(ErrorPhase phase, ErrorKind kind, int generation, Integer code, String message,
                               TopologyVersion topologyVersion, boolean systemOverloaded) {

    public ApplicationError {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(kind, "kind");
        message = message == null ? "" : message;
    }

    /**
     * @param phase      when
     * @param generation the connection's pool generation
     * @param message    what happened
     * @return a network (non-timeout) error
     */
    public static ApplicationError network(ErrorPhase phase, int generation, String message) {
        return new ApplicationError(phase, ErrorKind.NETWORK, generation, null, message, null, false);
    }

    /**
     * @param phase      when
     * @param generation the connection's pool generation
     * @param message    what happened
     * @return a socket timeout
     */
    public static ApplicationError timeout(ErrorPhase phase, int generation, String message) {
        return new ApplicationError(phase, ErrorKind.TIMEOUT, generation, null, message, null, false);
    }

    /**
     * Builds the error from a server reply: {@code ok: 0} with {@code code}/{@code errmsg} (or the legacy
     * {@code $err}), or {@code ok: 1} with a {@code writeConcernError}, whose code and message are then used.
     * {@code writeErrors} are not looked at, as SDAM requires.
     *
     * @param phase      when
     * @param generation the connection's pool generation
     * @param reply      the reply document
     * @return the command error
     */
    public static ApplicationError command(ErrorPhase phase, int generation, BsonDocument reply) {
        BsonDocument source = reply;
        if (HelloReplies.isOk(reply) && reply.get("writeConcernError") instanceof BsonDocument wce) {
            source = wce;
        }
        BsonValue code = source.get("code");
        String message = HelloReplies.string(source, "errmsg");
        if (message == null) {
            message = HelloReplies.string(source, "$err");
        }
        return new ApplicationError(phase, ErrorKind.COMMAND, generation,
                code != null && code.isNumber() ? code.asNumber().intValue() : null, message,
                TopologyVersion.from(reply), hasLabel(reply, "SystemOverloadedError"));
    }

    /**
     * @param labelled whether the error carries the {@code SystemOverloadedError} label (CMAP labels network errors
     *                 and timeouts of a connection's establishment and hello so)
     * @return this error, labelled or not as said
     */
    public ApplicationError withSystemOverloaded(boolean labelled) {
        return labelled == systemOverloaded ? this
                : new ApplicationError(phase, kind, generation, code, message, topologyVersion, labelled);
    }

    /** @return true for a "not writable primary" or "node is recovering" command error */
    public boolean isStateChange() {
        return kind == ErrorKind.COMMAND && StateChangeErrors.isStateChange(code, message);
    }

    /** @return true for a state change error that says the node is shutting down */
    public boolean isShutdown() {
        return isStateChange() && StateChangeErrors.isShutdown(code);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " error " + phase.name().toLowerCase(java.util.Locale.ROOT)
                + (code == null ? "" : " code " + code) + (message.isEmpty() ? "" : ": " + message);
    }

    private static boolean hasLabel(BsonDocument reply, String label) {
        if (!(reply.get("errorLabels") instanceof BsonArray labels)) {
            return false;
        }
        for (BsonValue v : labels) {
            if (v.isString() && v.asString().getValue().equals(label)) {
                return true;
            }
        }
        return false;
    }
}
