package dev.sluice.server.security.authz;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonString;

/** Whether a command may run, and if not, mongod's error for it. */
public sealed interface AuthorizationDecision {

    /** The command may run. */
    record Allowed() implements AuthorizationDecision {
    }

    /**
     * The command may not run: reply {@code {ok: 0, errmsg, code, codeName}}.
     *
     * @param code     13 Unauthorized, or 9 FailedToParse for a malformed command
     * @param codeName mongod's name of the code
     * @param errmsg   mongod's wording
     */
    record Denied(int code, String codeName, String errmsg) implements AuthorizationDecision {

        static Denied unauthorized(String errmsg) {
            return new Denied(13, "Unauthorized", errmsg);
        }

        static Denied failedToParse(String errmsg) {
            return new Denied(9, "FailedToParse", errmsg);
        }

        /** The error reply document. */
        public BsonDocument toReply() {
            return new BsonDocument("ok", new BsonDouble(0))
                    .append("errmsg", new BsonString(errmsg))
                    .append("code", new BsonInt32(code))
                    .append("codeName", new BsonString(codeName));
        }
    }
}
