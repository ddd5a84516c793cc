package dev.sluice.server.route;

import dev.sluice.server.wire.OpMsg;
import io.netty.buffer.ByteBuf;
import org.bson.BsonDocument;

/**
 * Runs retryable writes through the {@link RetryCatalog} for an upstream that does not deduplicate
 * them: the first attempt is sent and runs to completion even if its client goes away (its reply
 * is recorded); a retry gets the recorded reply, or waits for the running first attempt.
 */
final class RetryableWrites {
    /** Sends a write upstream, reporting its outcome to the attempt. */
    interface Executor {
        void execute(ForwardRequest request, ForwardCallback callback, RetryCatalog.Attempt attempt, InFlight inFlight);
    }

    private final RetryCatalog catalog;
    private final Executor executor;

    RetryableWrites(RetryCatalog catalog, Executor executor) {
        this.catalog = catalog;
        this.executor = executor;
    }

    /** Tells a retryable write's catalog entry the reply's body (an unreadable reply: outcome unknown). */
    static void record(RetryCatalog.Attempt write, ByteBuf reply) {
        org.bson.RawBsonDocument body;
        try {
            body = OpMsg.parse(reply).body();
        } catch (RuntimeException e) {
            write.failed();
            return;
        }
        write.replied(body);
    }

    InFlight forward(ForwardRequest request, ForwardCallback callback) {
        InFlight inFlight = new InFlight(true);
        admit(request, callback, inFlight);
        return inFlight;
    }

    private void admit(ForwardRequest request, ForwardCallback callback, InFlight inFlight) {
        BsonDocument lsid = request.body().getDocument("lsid");
        decide(catalog.admit(lsid, request.facts().txnNumber()), request, callback, inFlight);
    }

    private void decide(RetryCatalog.Decision decision, ForwardRequest request, ForwardCallback callback, InFlight inFlight) {
        if (decision instanceof RetryCatalog.Execute e) {
            executor.execute(request, callback, e.attempt(), inFlight);
        } else if (decision instanceof RetryCatalog.Replay r) {
            LocalReply.send(request, callback, r.reply());
        } else if (decision instanceof RetryCatalog.Refuse r) {
            LocalReply.send(request, callback, LocalReply.error(r.code(), r.codeName(), r.message()));
        } else if (decision instanceof RetryCatalog.Await w) {
            w.attempt().await(outcome -> {
                if (inFlight.isCancelled()) {
                    request.frame().release(); // this retry's client went away while it waited
                    return;
                }
                decide(outcome, request, callback, inFlight);
            });
        } else if (request.caller() instanceof java.util.concurrent.Executor loop) {
            // Again: the attempt waited on was never sent; route this one from its own event loop
            loop.execute(() -> admit(request, callback, inFlight));
        } else {
            admit(request, callback, inFlight);
        }
    }
}
