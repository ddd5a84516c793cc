package dev.sluice.server.fleet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.admin.CallerScope;
import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.admin.ConnectionView;
import dev.sluice.server.admin.FleetConnections;
import dev.sluice.server.admin.KillResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Connection management across the fleet: every live instance's connections in one listing, and a
 * kill of a connection held by another instance forwarded to it. The caller's rights travel with the
 * request as a {@link CallerScope}, and the instance holding the connections applies them, so a user
 * sees and kills across the fleet exactly what they could on each instance. Blocking; run it on the
 * admin thread.
 */
public final class FleetAdmin implements FleetConnections {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ConnectionView>> ROWS = new TypeReference<>() { };
    private static final TypeReference<List<KillResult>> RESULTS = new TypeReference<>() { };

    private final FleetMember member;
    private final ConnectionAdmin local;
    private final PeerClient peers;
    private final LongSupplier wallMillis;

    public FleetAdmin(FleetMember member, ConnectionAdmin local, PeerClient peers, LongSupplier wallMillis) {
        this.member = member;
        this.local = local;
        this.peers = peers;
        this.wallMillis = wallMillis;
    }

    @Override
    public String selfId() {
        return member.id();
    }

    /**
     * Every connection {@code scope} may see on every live instance, each row naming its instance.
     *
     * @param unreachable receives one line per instance that did not answer (its rows are missing)
     */
    @Override
    public List<ConnectionView> list(CallerScope scope, String requester, List<String> unreachable) {
        List<ConnectionView> rows = new ArrayList<>();
        for (ConnectionView v : local.list(scope)) {
            rows.add(v.onInstance(member.id()));
        }
        Map<InstanceRecord, CompletableFuture<byte[]>> asked = new LinkedHashMap<>();
        byte[] body = request("list", scope, requester, List.of());
        for (InstanceRecord peer : others()) {
            asked.put(peer, send(peer, body));
        }
        for (Map.Entry<InstanceRecord, CompletableFuture<byte[]>> e : asked.entrySet()) {
            try {
                List<ConnectionView> theirs = JSON.readValue(await(e.getValue()), ROWS);
                for (ConnectionView v : theirs) {
                    rows.add(v.onInstance(e.getKey().id()));
                }
            } catch (FleetException | IOException ex) {
                unreachable.add(e.getKey().id() + ": " + ex.getMessage());
            }
        }
        return rows;
    }

    /**
     * Kills connections held by {@code instance} (this one or another), with the caller's rights.
     *
     * @throws FleetException when the instance is not live or does not answer
     */
    @Override
    public List<KillResult> kill(String instance, List<String> ids, CallerScope scope, String requester) {
        if (instance.equals(member.id())) {
            return local.kill(ids, scope, requester);
        }
        InstanceRecord peer = null;
        for (InstanceRecord r : member.live()) {
            if (r.id().equals(instance)) {
                peer = r;
            }
        }
        if (peer == null) {
            throw new FleetException("no live instance " + instance + " in the fleet (see listConnections with fleet: true)");
        }
        try {
            return JSON.readValue(await(send(peer, request("kill", scope, requester, ids))), RESULTS);
        } catch (IOException e) {
            throw new FleetException("instance " + instance + " sent an unreadable reply: " + e.getMessage());
        }
    }

    /**
     * Answers a request from another instance ({@code POST /api/fleet/peer}).
     *
     * @return the JSON reply; null when the signature is not valid (answer 401)
     */
    public byte[] answer(String signatureHeader, byte[] body, int maxIds) throws IOException {
        PeerSignature signature = member.signature();
        if (signature == null || signature.verify(signatureHeader, body, wallMillis.getAsLong(),
                member.settings().instanceTimeoutMS()) != null) {
            return null;
        }
        JsonNode request = JSON.readTree(body);
        JsonNode s = request.path("scope");
        CallerScope scope = new CallerScope(s.path("user").isTextual() ? s.path("user").asText() : null,
                s.path("seeAll").asBoolean(false), s.path("killAll").asBoolean(false));
        String requester = request.path("requester").asText("?") + " via " + request.path("from").asText("?");
        switch (request.path("op").asText()) {
            case "list":
                return JSON.writeValueAsBytes(local.list(scope));
            case "kill":
                List<String> ids = new ArrayList<>();
                for (JsonNode id : request.path("ids")) {
                    if (ids.size() >= maxIds) {
                        throw new IOException("more than maxAdminIds = " + maxIds + " ids");
                    }
                    ids.add(id.asText());
                }
                return JSON.writeValueAsBytes(local.kill(ids, scope, requester));
            default:
                throw new IOException("unknown fleet op " + request.path("op"));
        }
    }

    /** The live instances, for {@code GET /api/fleet} and the dashboard. */
    public ObjectNode instances() {
        ObjectNode out = JSON.createObjectNode();
        out.put("self", member.id());
        out.put("connectionBudget", member.settings().connectionBudget());
        if (member.appliedPoolSize() >= 0) {
            out.put("poolSizePerHost", member.appliedPoolSize());
        }
        if (member.lastError() != null) {
            out.put("error", member.lastError());
        }
        ArrayNode list = out.putArray("instances");
        for (InstanceRecord r : member.live()) {
            ObjectNode row = list.addObject();
            row.put("id", r.id());
            row.put("mongodb", r.mongodb());
            row.put("http", r.http());
            row.put("startedAt", java.time.Instant.ofEpochMilli(r.startedAtMillis()).toString());
            row.put("heartbeatAt", java.time.Instant.ofEpochMilli(r.heartbeatAtMillis()).toString());
            row.put("draining", r.draining());
            row.put("clients", r.clients());
            row.put("backendConnections", r.backendConnections());
            row.put("holding", r.holding());
            row.put("version", r.version());
        }
        return out;
    }

    private List<InstanceRecord> others() {
        List<InstanceRecord> out = new ArrayList<>();
        for (InstanceRecord r : member.live()) {
            if (!r.id().equals(member.id())) {
                out.add(r);
            }
        }
        return out;
    }

    private CompletableFuture<byte[]> send(InstanceRecord peer, byte[] body) {
        PeerSignature signature = member.signature();
        if (signature == null) {
            return CompletableFuture.failedFuture(new FleetException("the fleet secret is not read yet (no heartbeat "
                    + "has worked: " + member.lastError() + ")"));
        }
        return peers.send(peer, body, signature);
    }

    private byte[] await(CompletableFuture<byte[]> reply) {
        long timeout = member.settings().peerTimeoutMS() + 1_000;
        try {
            return reply.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw new FleetException("no reply within fleet.peerTimeoutMS = " + member.settings().peerTimeoutMS() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FleetException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FleetException f ? f : new FleetException(String.valueOf(e.getCause()));
        }
    }

    private byte[] request(String op, CallerScope scope, String requester, List<String> ids) {
        ObjectNode r = JSON.createObjectNode();
        r.put("op", op);
        r.put("from", member.id());
        r.put("requester", requester);
        ObjectNode s = r.putObject("scope");
        if (scope.user() != null) {
            s.put("user", scope.user());
        }
        s.put("seeAll", scope.seeAll());
        s.put("killAll", scope.killAll());
        ArrayNode list = r.putArray("ids");
        ids.forEach(list::add);
        try {
            return JSON.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
