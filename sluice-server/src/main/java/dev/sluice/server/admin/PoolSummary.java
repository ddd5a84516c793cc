package dev.sluice.server.admin;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sluice.server.upstream.HostPoolStats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All upstream pools, in the terms of mongod's {@code connPoolStats}: totals and one entry per host
 * (hosts in name order), then with {@code security.userSource: cluster} one entry per user's pool
 * ({@code users}, by host then user; the host entries count them too).
 */
@JsonPropertyOrder({"totalInUse", "totalAvailable", "totalCreated", "totalRefreshing", "totalWaitQueueSize",
        "hosts", "users"})
public record PoolSummary(int totalInUse, int totalAvailable, long totalCreated, int totalRefreshing,
                          int totalWaitQueueSize, Map<String, HostPoolStats> hosts, List<HostPoolStats> users) {

    public PoolSummary(int totalInUse, int totalAvailable, long totalCreated, int totalRefreshing,
                       int totalWaitQueueSize, Map<String, HostPoolStats> hosts) {
        this(totalInUse, totalAvailable, totalCreated, totalRefreshing, totalWaitQueueSize, hosts, List.of());
    }

    public static PoolSummary of(List<HostPoolStats> stats, List<HostPoolStats> userPools) {
        PoolSummary hostsOnly = of(stats);
        List<HostPoolStats> users = new java.util.ArrayList<>(userPools);
        users.sort(java.util.Comparator.comparing(HostPoolStats::host).thenComparing(HostPoolStats::user));
        return new PoolSummary(hostsOnly.totalInUse, hostsOnly.totalAvailable, hostsOnly.totalCreated,
                hostsOnly.totalRefreshing, hostsOnly.totalWaitQueueSize, hostsOnly.hosts, List.copyOf(users));
    }

    public static PoolSummary of(List<HostPoolStats> stats) {
        int inUse = 0;
        int available = 0;
        long created = 0;
        int refreshing = 0;
        int waiting = 0;
        Map<String, HostPoolStats> hosts = new LinkedHashMap<>();
        List<HostPoolStats> sorted = new java.util.ArrayList<>(stats);
        sorted.sort(java.util.Comparator.comparing(HostPoolStats::host));
        for (HostPoolStats host : sorted) {
            inUse += host.inUse();
            available += host.available();
            created += host.created();
            refreshing += host.refreshing();
            waiting += host.waitQueueSize();
            hosts.put(host.host(), host);
        }
        return new PoolSummary(inUse, available, created, refreshing, waiting, Collections.unmodifiableMap(hosts));
    }
}
