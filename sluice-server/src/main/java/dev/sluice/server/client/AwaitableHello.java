package dev.sluice.server.client;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A hello that waits: the client sent its current topologyVersion and maxAwaitTimeMS, so Sluice
 * answers after maxAwaitTimeMS (or at once on a topology change). With exhaustAllowed the answers
 * keep coming (moreToCome), each responding to the previous one.
 *
 * @param responseTo 0 for the first answer; then the requestId of the previous answer
 */
record AwaitableHello(Request request, BsonDocument command, long maxAwaitTimeMS, boolean exhaust, int responseTo) {
    /** Longest wait honoured, whatever the client asks (drivers send 10 s by default). */
    static final long MAX_AWAIT_MS = 60_000;

    /** Null when the hello must be answered at once. */
    static AwaitableHello of(BsonDocument command, Request request, HelloResponder responder) {
        BsonValue maxAwait = command.get("maxAwaitTimeMS");
        BsonValue tv = command.get("topologyVersion");
        if (maxAwait == null || !maxAwait.isNumber() || tv == null || !responder.isCurrent(tv)) {
            return null;
        }
        long wait = Math.max(0, Math.min(MAX_AWAIT_MS, maxAwait.asNumber().longValue()));
        return new AwaitableHello(request, command, wait, request.exhaustAllowed(), 0);
    }

    AwaitableHello next(int previousReplyId) {
        return new AwaitableHello(request, command, maxAwaitTimeMS, exhaust, previousReplyId);
    }
}
