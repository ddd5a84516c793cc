package dev.sluice.server.upstream;

import dev.sluice.server.topology.ServerDescription;

/** The outcome of a server selection; exactly one method runs, once, on the selection's executor. */
public interface SelectionCallback {
    /** A suitable server and its pool. */
    void selected(HostPool pool, ServerDescription server);

    /**
     * No server: an {@link UpstreamException} (none suitable within serverSelectionTimeoutMS, or the cluster is not
     * open), or a {@link dev.sluice.server.topology.ReadPreferenceException} the read preference deserves.
     */
    void failed(RuntimeException error);
}
