package dev.sluice.server.topology;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The actions the topology returns to its caller, and the behaviour the spec files do not pin down. */
class TopologyTest {

    private static final ServerAddress A = ServerAddress.parse("a:27017");
    private static final ServerAddress B = ServerAddress.parse("b:27017");
    private static final ServerAddress C = ServerAddress.parse("c:27017");

    private final AtomicLong clock = new AtomicLong(5_000);
    private final List<TopologyEvent> events = new ArrayList<>();

    private Topology replicaSet(ServerAddress... seeds) {
        Topology t = new Topology(new TopologySettings(List.of(seeds), false, "rs", false), events::add, clock::get);
        t.open();
        return t;
    }

    @Test
    void openStartsAMonitorPerSeedAndPublishesOpeningEvents() {
        Topology t = new Topology(TopologySettings.discover(List.of(A, B)), events::add, clock::get);
        TopologyUpdate update = t.open();
        assertThat(update.actions()).containsExactly(new TopologyAction.StartMonitoring(A),
                new TopologyAction.StartMonitoring(B));
        assertThat(events).hasSize(4).first().isInstanceOf(TopologyEvent.TopologyOpening.class);
        assertThat(t.description().type()).isEqualTo(TopologyType.UNKNOWN);
        assertThat(t.poolGeneration(A)).isZero();
        assertThatThrownBy(t::open).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void discoveredMembersAreMonitoredAndRemovedMembersStopped() {
        Topology t = replicaSet(A);
        TopologyUpdate first = t.onHello(A, Hellos.primary("rs", "a:27017", "b:27017", "c:27017"), 3);
        assertThat(first.actions(TopologyAction.StartMonitoring.class)).extracting(TopologyAction::address)
                .containsExactly(B, C);
        assertThat(first.actions(TopologyAction.MarkPoolReady.class)).containsExactly(new TopologyAction.MarkPoolReady(A));
        assertThat(first.changed()).isTrue();
        assertThat(t.description().type()).isEqualTo(TopologyType.REPLICA_SET_WITH_PRIMARY);

        TopologyUpdate reconfig = t.onHello(A, Hellos.primary("rs", "a:27017", "b:27017"), 3);
        assertThat(reconfig.actions(TopologyAction.StopMonitoring.class)).containsExactly(new TopologyAction.StopMonitoring(C));
        assertThat(t.poolGeneration(C)).isEqualTo(-1);
        assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new TopologyEvent.ServerClosed(C)));
    }

    @Test
    void onlyUsableServersGetTheirPoolMarkedReady() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017", "b:27017"), 3);
        assertThat(t.onHello(B, Hellos.arbiter("rs", "a:27017", "b:27017"), 3).actions(TopologyAction.MarkPoolReady.class))
                .isEmpty();

        Topology direct = new Topology(new TopologySettings(List.of(C), true, null, false), TopologyListener.NOOP, clock::get);
        direct.open();
        assertThat(direct.onHello(C, Hellos.arbiter("rs", "c:27017"), 3).actions(TopologyAction.MarkPoolReady.class))
                .as("a direct connection may use any server type").containsExactly(new TopologyAction.MarkPoolReady(C));
    }

    @Test
    void aMonitorTimeoutClearsThePoolInterruptingInUseConnectionsAndRetriesAtOnce() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        TopologyUpdate update = t.onCheckFailed(A, ErrorKind.TIMEOUT, "read timed out");
        assertThat(update.actions()).containsExactly(new TopologyAction.ClearPool(A, true, 1,
                "monitor check failed: read timed out"), new TopologyAction.RequestImmediateCheck(A));
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.UNKNOWN);
        assertThat(t.description().server(A).averageRttMillis()).isEmpty();
        assertThat(t.description().type()).isEqualTo(TopologyType.REPLICA_SET_NO_PRIMARY);

        TopologyUpdate again = t.onCheckFailed(A, ErrorKind.NETWORK, "connection refused");
        assertThat(again.actions()).as("no immediate retry for a server already Unknown")
                .containsExactly(new TopologyAction.ClearPool(A, false, 2, "monitor check failed: connection refused"));
    }

    @Test
    void aNotOkHelloIsAFailedCheck() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        TopologyUpdate update = t.onHello(A, BsonDocument.parse("{ok: 0, errmsg: 'auth failed', code: 18}"), 3);
        assertThat(update.actions(TopologyAction.ClearPool.class)).hasSize(1);
        assertThat(t.description().server(A).error()).contains("auth failed").contains("18");
    }

    @Test
    void aNewPrimaryInvalidatesTheOldOneWithoutClearingItsPool() {
        Topology t = replicaSet(A, B);
        t.onHello(A, Hellos.primary("rs", "a:27017", "b:27017"), 3);
        TopologyUpdate update = t.onHello(B, Hellos.primary("rs", "a:27017", "b:27017"), 3);
        assertThat(update.actions()).contains(new TopologyAction.RequestImmediateCheck(A))
                .noneMatch(a -> a instanceof TopologyAction.ClearPool);
        assertThat(t.description().server(A).error()).contains("primary marked stale due to discovery of newer primary");
        assertThat(t.description().primary()).map(ServerDescription::address).contains(B);
    }

    @Test
    void shutdownErrorsClearThePoolOtherStateChangeErrorsOnlyRequestACheck() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        TopologyUpdate notPrimary = t.onError(A, ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, 0,
                BsonDocument.parse("{ok: 0, code: 10107, errmsg: 'not primary'}")));
        assertThat(notPrimary.actions()).containsExactly(new TopologyAction.RequestImmediateCheck(A));
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.UNKNOWN);

        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        TopologyUpdate shutdown = t.onError(A, ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, 0,
                BsonDocument.parse("{ok: 1, writeConcernError: {code: 91, errmsg: 'shutting down'}}")));
        assertThat(shutdown.actions()).hasSize(2).first().isInstanceOfSatisfying(TopologyAction.ClearPool.class,
                c -> assertThat(c.interruptInUseConnections()).isFalse());
        assertThat(shutdown.actions().get(1)).isEqualTo(new TopologyAction.RequestImmediateCheck(A));
    }

    @Test
    void aLabelledConnectionSetUpFailureKeepsTheServerAndAsksTheMonitorToCheck() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        TopologyDescription before = t.description();

        TopologyUpdate refused = t.onError(A, ApplicationError.network(ErrorPhase.BEFORE_HANDSHAKE, 0, "refused")
                .withSystemOverloaded(true));
        TopologyUpdate slowHello = t.onError(A, ApplicationError.timeout(ErrorPhase.BEFORE_HANDSHAKE, 0, "slow")
                .withSystemOverloaded(true));

        assertThat(refused.actions()).containsExactly(new TopologyAction.RequestImmediateCheck(A));
        assertThat(slowHello.actions()).containsExactly(new TopologyAction.RequestImmediateCheck(A));
        assertThat(t.description()).isSameAs(before);
        assertThat(t.poolGeneration(A)).isZero();

        // unlabelled (authentication's step, a DNS or certificate failure): Unknown, the pool cleared
        TopologyUpdate auth = t.onError(A, ApplicationError.network(ErrorPhase.BEFORE_HANDSHAKE, 0, "auth reset"));
        assertThat(auth.actions()).first().isInstanceOf(TopologyAction.ClearPool.class);
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.UNKNOWN);
    }

    @Test
    void applicationNetworkErrorsClearAndCancelTimeoutsAndOverloadDoNot() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        assertThat(t.onError(A, ApplicationError.timeout(ErrorPhase.AFTER_HANDSHAKE, 0, "slow")).actions()).isEmpty();
        assertThat(t.onError(A, ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, 0, BsonDocument.parse(
                "{ok: 0, code: 462, errmsg: 'overloaded', errorLabels: ['SystemOverloadedError']}"))).actions()).isEmpty();
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.RS_PRIMARY);

        TopologyUpdate reset = t.onError(A, ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, 0, "reset"));
        assertThat(reset.actions()).containsExactly(new TopologyAction.ClearPool(A, false, 1, "network error after_handshake: reset"),
                new TopologyAction.CancelInProgressCheck(A));

        assertThat(t.onError(A, ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, 0, "old connection")).actions())
                .as("an error from a connection of the old generation is stale").isEmpty();
    }

    @Test
    void anAuthenticationErrorDuringTheHandshakeMarksUnknownAndClears() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        TopologyUpdate u = t.onError(A, ApplicationError.command(ErrorPhase.BEFORE_HANDSHAKE, 0,
                BsonDocument.parse("{ok: 0, code: 18, errmsg: 'Authentication failed.'}")));
        assertThat(u.actions(TopologyAction.ClearPool.class)).hasSize(1);
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.UNKNOWN);
    }

    @Test
    void operatorClearsAreCountedSoOlderConnectionErrorsBecomeStale() {
        Topology t = replicaSet(A);
        t.onHello(A, Hellos.primary("rs", "a:27017"), 3);
        assertThat(t.clearPool(A, "dropConnections").actions())
                .containsExactly(new TopologyAction.ClearPool(A, false, 1, "dropConnections"));
        assertThat(t.onError(A, ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, 0, "x")).actions()).isEmpty();
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.RS_PRIMARY);
        assertThat(t.clearPool(C, "not a member").actions()).isEmpty();
    }

    @Test
    void roundTripTimesAverageWithoutEventsAndStreamedHellosKeepThem() {
        Topology t = new Topology(TopologySettings.discover(List.of(A)), events::add, clock::get);
        t.open();
        t.onHello(A, Hellos.mongos(), 10);
        events.clear();
        TopologyUpdate second = t.onHello(A, Hellos.mongos(), 20);
        assertThat(second.changed()).isFalse();
        assertThat(events).as("RTT alone is not a description change").isEmpty();
        assertThat(t.description().server(A).averageRttMillis()).hasValue(12.0);

        t.onRttSample(A, 32);
        assertThat(t.description().server(A).averageRttMillis()).hasValue(16.0);
        t.onStreamedHello(A, Hellos.mongos());
        assertThat(t.description().server(A).averageRttMillis()).hasValue(16.0);
        assertThatThrownBy(() -> t.onHello(A, Hellos.mongos(), -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: >= 0");
    }

    @Test
    void repliesFromServersNotInTheTopologyAreIgnored() {
        Topology t = replicaSet(A);
        TopologyUpdate u = t.onHello(C, Hellos.primary("rs", "c:27017"), 1);
        assertThat(u.actions()).isEmpty();
        assertThat(u.current()).isSameAs(u.previous());
        assertThat(t.onError(C, ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, 0, "x")).actions()).isEmpty();
    }

    @Test
    void malformedHelloRepliesNeverThrow() {
        BsonDocument garbage = BsonDocument.parse("{ok: 1, setName: 5, hosts: 'a', me: ['x'], primary: ':x', "
                + "setVersion: 'one', electionId: 3, tags: {dc: 1}, topologyVersion: {processId: 1}, "
                + "isWritablePrimary: 'yes', maxWireVersion: 'max'}");
        ServerDescription parsed = HelloReplies.parse(A, garbage, java.util.OptionalDouble.of(1), 0);
        assertThat(parsed.type()).isEqualTo(ServerType.STANDALONE);
        assertThat(parsed.setName()).isNull();
        assertThat(parsed.topologyVersion()).isNull();
        assertThat(parsed.tags()).isEmpty();
        assertThat(parsed.maxWireVersion()).isZero();

        Topology t = replicaSet(A);
        TopologyUpdate u = t.onHello(A, garbage, 1);
        assertThat(u.actions(TopologyAction.StopMonitoring.class)).as("a standalone is not a replica set member")
                .containsExactly(new TopologyAction.StopMonitoring(A));
        assertThat(t.description().servers()).isEmpty();
    }

    @Test
    void loadBalancedModeIsNotMonitoredAndOnlyClearsPools() {
        Topology t = new Topology(new TopologySettings(List.of(A), false, null, true), events::add, clock::get);
        TopologyUpdate open = t.open();
        assertThat(open.actions()).containsExactly(new TopologyAction.MarkPoolReady(A));
        assertThat(t.description().type()).isEqualTo(TopologyType.LOAD_BALANCED);
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.LOAD_BALANCER);
        assertThat(events).hasSize(5);

        assertThat(t.onHello(A, Hellos.mongos(), 1).actions()).isEmpty();
        TopologyUpdate reset = t.onError(A, ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, 0, "reset"));
        assertThat(reset.actions()).containsExactly(new TopologyAction.ClearPool(A, false, 1, "network error after_handshake: reset"));
        assertThat(t.onError(A, ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, 1,
                BsonDocument.parse("{ok: 0, code: 10107}"))).actions()).isEmpty();
        assertThat(t.description().server(A).type()).isEqualTo(ServerType.LOAD_BALANCER);
    }

    @Test
    void closeRemovesEveryServerAndIgnoresLaterEvents() {
        Topology t = replicaSet(A, B);
        events.clear();
        TopologyUpdate u = t.close();
        assertThat(u.actions()).containsExactly(new TopologyAction.StopMonitoring(A), new TopologyAction.StopMonitoring(B));
        assertThat(t.description().servers()).isEmpty();
        assertThat(events).last().isInstanceOf(TopologyEvent.TopologyClosed.class);
        assertThat(t.onHello(A, Hellos.primary("rs", "a:27017"), 1).actions()).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotBreakTheTopology() {
        Topology t = new Topology(TopologySettings.discover(List.of(A)), e -> {
            throw new IllegalStateException("listener bug");
        }, clock::get);
        t.open();
        t.onHello(A, Hellos.mongos(), 1);
        assertThat(t.description().type()).isEqualTo(TopologyType.SHARDED);
    }

    @Test
    void descriptionsRecordTheClockAndLastWriteDate() {
        Topology t = replicaSet(A);
        clock.set(9_000);
        t.onHello(A, BsonDocument.parse("{ok: 1, isWritablePrimary: true, setName: 'rs', hosts: ['a:27017'], "
                + "maxWireVersion: 21, lastWrite: {lastWriteDate: {$date: 1700000000000}}}"), 1);
        ServerDescription a = t.description().server(A);
        assertThat(a.lastUpdateTimeMillis()).isEqualTo(9_000);
        assertThat(a.lastWriteDateMillis()).isEqualTo(1_700_000_000_000L);
    }
}
