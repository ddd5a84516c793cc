package dev.sluice.server.security.tls;

import dev.sluice.server.config.ConfigException;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongod's {@code rotateCertificates} (5.0+): {@code {rotateCertificates: 1, message: "<optional log
 * message>"}} on the admin database re-reads the TLS files; {@code {ok: 1}} once new connections get
 * the new certificate, else {@code ok: 0} with code 140 InvalidSSLConfiguration and the reason (the
 * old certificate stays). Without TLS configured there is nothing to rotate and the reply is
 * {@code {ok: 1}}, as on mongod. Authorization (the {@code rotateCertificates} action on the cluster)
 * is the command gate's, before this runs. Reads files: run it off the event loop.
 */
public final class RotateCertificatesCommand {
    public static final String NAME = "rotateCertificates";
    private static final Logger LOG = LoggerFactory.getLogger(RotateCertificatesCommand.class);

    private final ServerTls tls;

    /** @param tls the reloadable contexts, or null when TLS is not configured */
    public RotateCertificatesCommand(ServerTls tls) {
        this.tls = tls;
    }

    public boolean handles(String commandName) {
        return NAME.equals(commandName);
    }

    /** @param caller who sent it (client address and user), for the log */
    public BsonDocument execute(BsonDocument command, String database, String caller) {
        if (!"admin".equals(database)) {
            return error(13, "Unauthorized", NAME + " may only be run against the admin database.");
        }
        BsonValue message = command.get("message");
        if (message != null && !message.isString()) {
            return error(14, "TypeMismatch", "BSON field '" + NAME + ".message' is the wrong type '"
                    + typeName(message) + "', expected type 'string'");
        }
        String note = message == null ? "" : " with message \"" + message.asString().getValue() + "\"";
        if (tls == null) {
            LOG.info("[tls] {} from {}{}: TLS is not configured, nothing to rotate", NAME, caller, note);
            return ok();
        }
        try {
            tls.reload(NAME + " from " + caller + note);
            return ok();
        } catch (ConfigException e) {
            return error(140, "InvalidSSLConfiguration", "certificate rotation failed, the previous certificate stays "
                    + "in use: " + e.getMessage());
        } catch (ServerTls.ReloadInProgressException e) {
            return error(117, "ConflictingOperationInProgress", e.getMessage());
        }
    }

    private static BsonDocument ok() {
        return new BsonDocument("ok", new BsonDouble(1));
    }

    private static BsonDocument error(int code, String codeName, String errmsg) {
        return new BsonDocument("ok", new BsonDouble(0)).append("errmsg", new BsonString(errmsg))
                .append("code", new BsonInt32(code)).append("codeName", new BsonString(codeName));
    }

    private static String typeName(BsonValue value) {
        return switch (value.getBsonType()) {
            case INT32 -> "int";
            case INT64 -> "long";
            case DOUBLE -> "double";
            case BOOLEAN -> "bool";
            case DOCUMENT -> "object";
            case ARRAY -> "array";
            case NULL -> "null";
            default -> value.getBsonType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
