package dev.sluice.server.client;

import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.util.function.Supplier;

/**
 * What a mongodb connector presents itself as to drivers. Both faces answer hello as a router ({@code isdbgrid}).
 * The router face is for drivers in their usual mode (a pool, a monitoring connection and, streaming, an RTT
 * connection per Sluice). The load-balanced face is for drivers connected with {@code loadBalanced=true}, as to a
 * mongos behind an L4 load balancer (Load Balancer specification): the first hello must say {@code loadBalanced:
 * true} and its reply carries a {@code serviceId}, an ObjectId fixed for the life of this Sluice; drivers then do
 * not monitor (no awaitable hello: one is answered at once) and pin cursors and transactions to one connection.
 * A hello of the wrong mode is refused with mongos's LoadBalancerSupportMismatch (354) and the connection closed.
 */
public final class ClientFace {
    /** mongos's LoadBalancerSupportMismatch. */
    static final int LOAD_BALANCER_SUPPORT_MISMATCH = 354;
    /** Connection ids of the load-balanced connector: {@code mongodb-lb-N}. */
    public static final String LOAD_BALANCED_CONNECTOR = "mongodb-lb";

    private final String connector;
    private final ObjectId serviceId;
    private final Supplier<String> loadBalancedAddress;

    private ClientFace(String connector, ObjectId serviceId, Supplier<String> loadBalancedAddress) {
        this.connector = connector;
        this.serviceId = serviceId;
        this.loadBalancedAddress = loadBalancedAddress;
    }

    /**
     * The router face, connector {@code mongodb}.
     *
     * @param loadBalancedAddress the load-balanced connector's "HOST:PORT", or null when it is off (for the refusal)
     */
    public static ClientFace router(Supplier<String> loadBalancedAddress) {
        return new ClientFace(ClientSession.CONNECTOR, null, loadBalancedAddress);
    }

    /** The load-balanced face, connector {@code mongodb-lb}, answering with {@code serviceId}. */
    public static ClientFace loadBalanced(ObjectId serviceId) {
        return new ClientFace(LOAD_BALANCED_CONNECTOR, serviceId, null);
    }

    /** The registry's connector name (connection ids {@code <connector>-<n>}). */
    public String connector() {
        return connector;
    }

    public boolean isLoadBalanced() {
        return serviceId != null;
    }

    /** The serviceId this face reports, or null for the router face. */
    public ObjectId serviceId() {
        return serviceId;
    }

    /** Awaitable hellos are awaited (router face); load-balanced drivers do not monitor: answered at once. */
    boolean awaitsHello() {
        return serviceId == null;
    }

    /** Why a connection's first hello is refused (an error reply; the connection is then closed), or null. */
    BsonDocument refusal(BsonDocument hello) {
        BsonValue lb = hello.get("loadBalanced");
        boolean asked = lb != null && lb.isBoolean() && lb.asBoolean().getValue();
        if (serviceId != null && !asked) {
            return ErrorReplies.error(LOAD_BALANCER_SUPPORT_MISMATCH, "LoadBalancerSupportMismatch",
                    "The server is being accessed through a load balancer, but this driver does not have load "
                            + "balancing enabled: this is Sluice's load-balanced port; connect with loadBalanced=true, "
                            + "or to Sluice's router port without it");
        }
        if (serviceId == null && asked) {
            String address = loadBalancedAddress == null ? null : loadBalancedAddress.get();
            return ErrorReplies.error(LOAD_BALANCER_SUPPORT_MISMATCH, "LoadBalancerSupportMismatch",
                    "The driver is in load balancing mode (loadBalanced=true), but this is Sluice's router port, "
                            + "which does not have load balancing enabled: "
                            + (address == null ? "start Sluice with --load-balanced-port PORT (net.loadBalancedListen) "
                            + "and connect there" : "connect to Sluice's load-balanced port " + address)
                            + ", or remove loadBalanced=true");
        }
        return null;
    }

    /** What the first hello's reply adds: the serviceId on the load-balanced face, else nothing (null). */
    BsonDocument firstHelloExtras() {
        return serviceId == null ? null : new BsonDocument("serviceId", new BsonObjectId(serviceId));
    }
}
