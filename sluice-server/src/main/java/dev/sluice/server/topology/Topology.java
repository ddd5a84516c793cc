package dev.sluice.server.topology;

import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Sluice's view of its upstream deployment: the SDAM state machine. Monitors feed it hello replies and check
 * failures, the request path feeds it application errors; each call returns the new description plus the
 * {@link TopologyAction actions} the caller must carry out (start/stop monitors, clear or ready pools, request
 * checks). Pure logic: no I/O, no threads, time from an injected monotonic millisecond clock.
 *
 * <p>Concurrency: the update methods are synchronized, one event at a time, as SDAM requires;
 * {@link #description()} is a lock-free read of an immutable value. Events go to the listener under the lock.
 *
 * <p>Pool generations: the topology counts each server's pool generation (0 when the server joins, +1 for every
 * {@link TopologyAction.ClearPool} it returns). Every clear of a host pool must go through the topology (use
 * {@link #clearPool} for operator-requested clears) so that this count equals the pool's own generation, against
 * which {@link ApplicationError#generation()} is compared.
 */
public final class Topology {

    private final TopologySettings settings;
    private final TopologyListener listener;
    private final LongSupplier clockMillis;
    private final Map<ServerAddress, Integer> generations = new HashMap<>();
    private volatile TopologyDescription description = TopologyDescription.empty();
    private boolean opened;
    private boolean closed;

    /**
     * @param settings    seeds and initial type
     * @param listener    SDAM events (use {@link TopologyListener#NOOP} for none)
     * @param clockMillis a monotonic clock in milliseconds (lastUpdateTime of descriptions)
     */
    public Topology(TopologySettings settings, TopologyListener listener, LongSupplier clockMillis) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    /** @return the settings the topology was made with */
    public TopologySettings settings() {
        return settings;
    }

    /** @return the current description (immutable; lock-free) */
    public TopologyDescription description() {
        return description;
    }

    /**
     * @param address a server
     * @return its pool generation as the topology counts it, or -1 when the server is not in the topology
     */
    public synchronized int poolGeneration(ServerAddress address) {
        return generations.getOrDefault(address, -1);
    }

    /**
     * Starts the topology: publishes TopologyOpening, the first TopologyDescriptionChanged and a ServerOpening per
     * seed, and returns a StartMonitoring per seed (or, for a load balancer, marks its pool ready: it is not
     * monitored).
     *
     * @return the update
     * @throws IllegalStateException when called twice
     */
    public synchronized TopologyUpdate open() {
        if (opened) {
            throw new IllegalStateException("topology already opened");
        }
        opened = true;
        List<TopologyEvent> events = new ArrayList<>();
        List<TopologyAction> actions = new ArrayList<>();
        TopologyDescription empty = description;
        Map<ServerAddress, ServerDescription> servers = new LinkedHashMap<>();
        for (ServerAddress seed : settings.seeds()) {
            servers.put(seed, ServerDescription.unknown(seed));
            generations.put(seed, 0);
        }
        TopologyDescription initial = new TopologyDescription(settings.initialType(), settings.replicaSetName(), null,
                null, servers, true, null, null);
        events.add(new TopologyEvent.TopologyOpening());
        events.add(new TopologyEvent.TopologyDescriptionChanged(empty, initial));
        for (ServerAddress seed : settings.seeds()) {
            events.add(new TopologyEvent.ServerOpening(seed));
        }
        TopologyDescription result = initial;
        if (settings.loadBalanced()) {
            ServerAddress lb = settings.seeds().get(0);
            ServerDescription unknown = initial.server(lb);
            ServerDescription balancer = new ServerDescription(lb, ServerType.LOAD_BALANCER, null,
                    OptionalDouble.empty(), clockMillis.getAsLong(), null, 0, 0, null, null, null, null, null, null,
                    null, null, null, null, null);
            result = new TopologyDescription(TopologyType.LOAD_BALANCED, null, null, null, Map.of(lb, balancer), true,
                    null, null);
            events.add(new TopologyEvent.ServerDescriptionChanged(lb, unknown, balancer));
            events.add(new TopologyEvent.TopologyDescriptionChanged(initial, result));
            actions.add(new TopologyAction.MarkPoolReady(lb));
        } else {
            for (ServerAddress seed : settings.seeds()) {
                actions.add(new TopologyAction.StartMonitoring(seed));
            }
        }
        description = result;
        publish(events);
        return new TopologyUpdate(empty, result, actions);
    }

    /**
     * A monitor (or a new application connection's handshake) got a hello reply, measured {@code rttMillis}.
     * A reply that is not {@code ok: 1} counts as a failed check.
     *
     * @param address   the server asked
     * @param reply     its reply
     * @param rttMillis the round trip of this hello, averaged in (EWMA 0.2)
     * @return the update (no change when the server is not in the topology or the reply's topologyVersion is older)
     */
    public synchronized TopologyUpdate onHello(ServerAddress address, BsonDocument reply, double rttMillis) {
        ServerDescription current = description.server(address);
        if (!acceptsEvents() || current == null) {
            return TopologyUpdate.unchanged(description);
        }
        if (!HelloReplies.isOk(reply)) {
            return onCheckFailed(address, ErrorKind.COMMAND, HelloReplies.errorText(reply));
        }
        OptionalDouble rtt = OptionalDouble.of(RoundTripTime.average(current.averageRttMillis(), rttMillis));
        return applySuccessfulCheck(HelloReplies.parse(address, reply, rtt, clockMillis.getAsLong()));
    }

    /**
     * A streaming (awaitable) hello reply arrived: it does not measure RTT, so the average kept through
     * {@link #onRttSample} stays.
     *
     * @param address the server
     * @param reply   its reply
     * @return the update
     */
    public synchronized TopologyUpdate onStreamedHello(ServerAddress address, BsonDocument reply) {
        ServerDescription current = description.server(address);
        if (!acceptsEvents() || current == null) {
            return TopologyUpdate.unchanged(description);
        }
        if (!HelloReplies.isOk(reply)) {
            return onCheckFailed(address, ErrorKind.COMMAND, HelloReplies.errorText(reply));
        }
        return applySuccessfulCheck(HelloReplies.parse(address, reply, current.averageRttMillis(),
                clockMillis.getAsLong()));
    }

    /**
     * The RTT connection of a streaming monitor measured a round trip: averaged into an available server's RTT.
     * Publishes no event (round trip times are not part of description equality).
     *
     * @param address   the server
     * @param rttMillis the measurement
     * @return the update
     */
    public synchronized TopologyUpdate onRttSample(ServerAddress address, double rttMillis) {
        ServerDescription current = description.server(address);
        if (!acceptsEvents() || current == null || !current.isAvailable()) {
            return TopologyUpdate.unchanged(description);
        }
        double avg = RoundTripTime.average(current.averageRttMillis(), rttMillis);
        Map<ServerAddress, ServerDescription> servers = new LinkedHashMap<>(description.servers());
        servers.put(address, current.withAverageRtt(OptionalDouble.of(avg)));
        TopologyDescription before = description;
        description = new TopologyDescription(before.type(), before.setName(), before.maxSetVersion(),
                before.maxElectionId(), servers, before.compatible(), before.compatibilityError(),
                before.logicalSessionTimeoutMinutes());
        return new TopologyUpdate(before, description, List.of());
    }

    /**
     * A monitor's check failed (network error, timeout, or {@code ok: 0}): the server becomes Unknown and its pool
     * is cleared, interrupting in-use connections after a timeout. After a network error on a server that was
     * known, the monitor should check again at once (RequestImmediateCheck).
     *
     * @param address the server
     * @param kind    what failed
     * @param message the error text
     * @return the update
     */
    public synchronized TopologyUpdate onCheckFailed(ServerAddress address, ErrorKind kind, String message) {
        ServerDescription current = description.server(address);
        if (!acceptsEvents() || current == null || description.type() == TopologyType.LOAD_BALANCED) {
            return TopologyUpdate.unchanged(description);
        }
        ServerDescription unknown = ServerDescription.unknown(address,
                "check failed (" + kind.name().toLowerCase(java.util.Locale.ROOT) + "): " + message, null,
                clockMillis.getAsLong());
        List<TopologyAction> trailing = new ArrayList<>();
        trailing.add(clear(address, kind == ErrorKind.TIMEOUT, "monitor check failed: " + message));
        if (kind != ErrorKind.COMMAND && current.isAvailable()) {
            trailing.add(new TopologyAction.RequestImmediateCheck(address));
        }
        return commit(unknown, false, trailing);
    }

    /**
     * An application connection failed. Ignored when stale (older pool generation, or a state change error whose
     * topologyVersion is not newer). A "not writable primary"/"node is recovering" error makes the server Unknown
     * and requests a check, clearing the pool only for "shutting down" codes; a network error (or any error before
     * the handshake completed) makes it Unknown, clears the pool and cancels the in-progress check; a timeout after
     * the handshake changes nothing, nor does an error with the {@code SystemOverloadedError} label (CMAP puts it on
     * network errors and timeouts of a connection's establishment and hello: backpressure, not a server down); for
     * such a network error the monitor is asked to check at once (at most every 500 ms), so that a server that is
     * really down is marked Unknown by its monitor without waiting for the heartbeat. In LoadBalanced mode the server
     * stays, only the pool is cleared.
     *
     * @param address the server
     * @param error   the error
     * @return the update
     */
    public synchronized TopologyUpdate onError(ServerAddress address, ApplicationError error) {
        ServerDescription current = description.server(address);
        if (!acceptsEvents() || current == null || error.generation() < generations.getOrDefault(address, 0)) {
            return TopologyUpdate.unchanged(description);
        }
        // SDAM's "network error, or the handshake did not complete"; with the backpressure label it is ignored
        boolean networkOrHandshake = error.kind() == ErrorKind.NETWORK || error.phase() == ErrorPhase.BEFORE_HANDSHAKE;
        boolean networkLike = networkOrHandshake && !error.systemOverloaded();
        if (networkOrHandshake && error.systemOverloaded() && !error.isStateChange()
                && description.type() != TopologyType.LOAD_BALANCED) {
            // overloaded or down? The description stays (SDAM); the monitor's own connection tells, at once
            return new TopologyUpdate(description, description,
                    List.of(new TopologyAction.RequestImmediateCheck(address)));
        }
        if (description.type() == TopologyType.LOAD_BALANCED) {
            if (error.isShutdown() || (!error.isStateChange() && networkLike)) {
                return new TopologyUpdate(description, description, List.of(clear(address, false, error.toString())));
            }
            return TopologyUpdate.unchanged(description);
        }
        if (error.isStateChange()) {
            if (TopologyVersion.compare(current.topologyVersion(), error.topologyVersion()) >= 0) {
                return TopologyUpdate.unchanged(description);
            }
            List<TopologyAction> trailing = new ArrayList<>();
            if (error.isShutdown()) {
                trailing.add(clear(address, false, error.toString()));
            }
            trailing.add(new TopologyAction.RequestImmediateCheck(address));
            return commit(ServerDescription.unknown(address, error.toString(), error.topologyVersion(),
                    clockMillis.getAsLong()), false, trailing);
        }
        if (networkLike) {
            List<TopologyAction> trailing = new ArrayList<>();
            trailing.add(clear(address, false, error.toString()));
            trailing.add(new TopologyAction.CancelInProgressCheck(address));
            return commit(ServerDescription.unknown(address, error.toString(), null, clockMillis.getAsLong()), false,
                    trailing);
        }
        return TopologyUpdate.unchanged(description);
    }

    /**
     * An SRV rescan changed the mongos list (Polling SRV Records for mongos Discovery): {@code added} join as Unknown
     * (ServerOpening, StartMonitoring), {@code removed} leave (ServerClosed, StopMonitoring), the others are left
     * alone. Only while the topology is Sharded or Unknown; a change that would leave no server is ignored.
     *
     * @param added   hosts the SRV records now list that the topology lacks
     * @param removed hosts the SRV records no longer list
     * @return the update (unchanged when the topology is of another type or closed)
     */
    public synchronized TopologyUpdate updateFromSrv(List<ServerAddress> added, List<ServerAddress> removed) {
        TopologyType type = description.type();
        if (!acceptsEvents() || (type != TopologyType.SHARDED && type != TopologyType.UNKNOWN)) {
            return TopologyUpdate.unchanged(description);
        }
        TopologyDescription before = description;
        TopologyDraft draft = new TopologyDraft(before, clockMillis.getAsLong());
        removed.forEach(draft::remove);
        added.forEach(draft::addUnknownIfAbsent);
        if (draft.servers.isEmpty()) {
            return TopologyUpdate.unchanged(before);
        }
        TopologyDescription after = draft.build();
        TopologyDiff diff = TopologyDiff.between(before, after, null);
        diff.added().forEach(a -> generations.put(a, 0));
        diff.removed().forEach(generations::remove);
        List<TopologyEvent> events = new ArrayList<>(diff.events());
        if (!before.equivalentTo(after)) {
            events.add(new TopologyEvent.TopologyDescriptionChanged(before, after));
        }
        description = after;
        publish(events);
        return new TopologyUpdate(before, after, diff.actions());
    }

    /**
     * An operator asked to drop a host's connections (dropConnections): counts the clear so generations stay in
     * step, without changing the server's description.
     *
     * @param address the server
     * @param reason  for logs
     * @return an update holding one ClearPool, or no action when the server is not in the topology
     */
    public synchronized TopologyUpdate clearPool(ServerAddress address, String reason) {
        if (!acceptsEvents() || description.server(address) == null) {
            return TopologyUpdate.unchanged(description);
        }
        return new TopologyUpdate(description, description, List.of(clear(address, false, reason)));
    }

    /**
     * Closes the topology: removes every server (ServerClosed each, then a TopologyDescriptionChanged to an empty
     * Unknown description), then TopologyClosed. Later events are ignored.
     *
     * @return the update, with a StopMonitoring per server
     */
    public synchronized TopologyUpdate close() {
        if (closed) {
            return TopologyUpdate.unchanged(description);
        }
        closed = true;
        TopologyDescription before = description;
        List<TopologyEvent> events = new ArrayList<>();
        List<TopologyAction> actions = new ArrayList<>();
        for (ServerAddress a : before.servers().keySet()) {
            events.add(new TopologyEvent.ServerClosed(a));
            actions.add(new TopologyAction.StopMonitoring(a));
        }
        generations.clear();
        TopologyDescription after = TopologyDescription.empty();
        if (opened) {
            events.add(new TopologyEvent.TopologyDescriptionChanged(before, after));
        }
        events.add(new TopologyEvent.TopologyClosed());
        description = after;
        publish(events);
        return new TopologyUpdate(before, after, actions);
    }

    private boolean acceptsEvents() {
        return opened && !closed;
    }

    private TopologyUpdate applySuccessfulCheck(ServerDescription sd) {
        if (description.type() == TopologyType.LOAD_BALANCED) {
            return TopologyUpdate.unchanged(description);
        }
        return commit(sd, true, List.of());
    }

    /**
     * Replaces a server's description (unless its topologyVersion is older than the current one), runs the
     * TopologyType table, and turns the differences into events and actions.
     */
    private TopologyUpdate commit(ServerDescription sd, boolean successfulCheck, List<TopologyAction> trailing) {
        TopologyDescription before = description;
        ServerDescription current = before.server(sd.address());
        if (current == null || TopologyVersion.compare(current.topologyVersion(), sd.topologyVersion()) > 0) {
            return TopologyUpdate.unchanged(before);
        }
        TopologyDraft draft = new TopologyDraft(before, clockMillis.getAsLong());
        TopologyTransitions.apply(draft, sd, settings);
        TopologyDescription after = draft.build();

        TopologyDiff diff = TopologyDiff.between(before, after, sd.address());
        List<TopologyEvent> events = new ArrayList<>(diff.events());
        List<TopologyAction> actions = new ArrayList<>(diff.actions());
        diff.added().forEach(a -> generations.put(a, 0));
        diff.removed().forEach(generations::remove);
        ServerDescription applied = after.server(sd.address());
        if (successfulCheck && applied != null && (applied.type().isDataBearing()
                || (after.type() == TopologyType.SINGLE && applied.type() != ServerType.UNKNOWN))) {
            actions.add(new TopologyAction.MarkPoolReady(sd.address()));
        }
        for (ServerAddress old : draft.invalidatedPrimaries) {
            if (after.servers().containsKey(old)) {
                actions.add(new TopologyAction.RequestImmediateCheck(old));
            }
        }
        if (applied != null) {
            actions.addAll(trailing);
        }
        if (!before.equivalentTo(after)) {
            events.add(new TopologyEvent.TopologyDescriptionChanged(before, after));
        }
        description = after;
        publish(events);
        return new TopologyUpdate(before, after, actions);
    }

    private TopologyAction.ClearPool clear(ServerAddress address, boolean interruptInUse, String reason) {
        int next = generations.getOrDefault(address, 0) + 1;
        generations.put(address, next);
        return new TopologyAction.ClearPool(address, interruptInUse, next, reason);
    }

    private void publish(List<TopologyEvent> events) {
        for (TopologyEvent e : events) {
            try {
                listener.onEvent(e);
            } catch (RuntimeException ignored) {
                // a listener's failure must not break the topology (documented on TopologyListener)
            }
        }
    }
}
