package dev.sluice.server.topology.srv;

import dev.sluice.server.topology.ServerAddress;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DnsRecordType;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a {@code mongodb+srv://} host name into a seed list and default options, by the Initial DNS Seedlist
 * Discovery spec: the SRV records of {@code _<srvServiceName>._tcp.<host>} (each target must be in the host's parent
 * domain, at least one record, srvMaxHosts of them at random) and the TXT record of {@code <host>} (at most one; only
 * authSource, replicaSet, loadBalanced). Both look-ups run in parallel through Netty's DNS resolver on one event loop;
 * nothing blocks it. Errors are {@link SrvLookupException}s naming the DNS name and the cause.
 *
 * <p>Thread-safe. Close it to release its UDP socket.
 */
public final class SrvResolver implements AutoCloseable {

    private final EventLoop eventLoop;
    private final SrvSettings settings;
    private final DnsQueries dns;
    private final Random random;

    /** A resolver whose DNS sockets live on {@code eventLoop} (epoll or NIO, as that loop is). */
    public SrvResolver(EventLoop eventLoop, SrvSettings settings) {
        this(eventLoop, settings, new SecureRandom());
    }

    /** As above, with the randomness of srvMaxHosts injected. */
    public SrvResolver(EventLoop eventLoop, SrvSettings settings, Random random) {
        this.eventLoop = eventLoop;
        this.settings = settings;
        this.dns = new DnsQueries(eventLoop, settings);
        this.random = random;
    }

    /**
     * Looks up the SRV and TXT records of {@code query} and applies the spec's rules.
     *
     * @return the seed list and options; fails with a {@link SrvLookupException}
     */
    public CompletionStage<SrvResolution> resolve(SrvQuery query) {
        CompletableFuture<SrvRecords> srv = lookupHosts(query).toCompletableFuture();
        CompletableFuture<TxtOptions> txt = dns.query(query.host(), DnsRecordType.TXT, DnsRecordContent::txt)
                .thenApply(a -> TxtOptions.parse(query.host(), a.records()));
        return unwrapped(srv.thenCombine(txt, (records, options) -> resolution(query, records, options)));
    }

    /**
     * Looks up only the SRV records (what a rescan does): the verified hosts and, without failing, the refused ones.
     *
     * @return the records; fails with a {@link SrvLookupException} when DNS does not answer
     */
    public CompletionStage<SrvRecords> lookupHosts(SrvQuery query) {
        SrvDomain domain = SrvDomain.of(query.host());
        return unwrapped(dns.query(query.srvName(), DnsRecordType.SRV, DnsRecordContent::srv).thenApply(answer -> {
            List<ServerAddress> hosts = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (DnsRecordContent.SrvTarget t : answer.records()) {
                if (!domain.accepts(t.host())) {
                    refused.add(domain.refusal(t.host()));
                    continue;
                }
                ServerAddress a = new ServerAddress(t.host(), t.port());
                if (!hosts.contains(a)) {
                    hosts.add(a);
                }
            }
            return new SrvRecords(query.srvName(), hosts, refused, answer.minTtlSeconds(),
                    answer.rcode() + " from " + answer.server());
        }));
    }

    /**
     * {@link #resolve} for start-up code: waits for the answer.
     *
     * @throws SrvLookupException naming the DNS name and why
     * @throws IllegalStateException when called on an event loop thread (it would wait for itself)
     */
    public SrvResolution resolveBlocking(SrvQuery query) {
        if (eventLoop.inEventLoop()) {
            throw new IllegalStateException("SrvResolver.resolveBlocking called on its event loop; use resolve()");
        }
        long waitMs = 2 * settings.dnsTimeoutMS() + 1_000; // the look-ups end by themselves within dnsTimeoutMS
        try {
            return resolve(query).toCompletableFuture().get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SrvLookupException s) {
                throw s;
            }
            throw new SrvLookupException(query.srvName(), "mongodb+srv look-up of '" + query.srvName() + "' failed: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new SrvLookupException(query.srvName(), "mongodb+srv look-up of '" + query.srvName()
                    + "' did not end within " + waitMs + " ms (dnsTimeoutMS " + settings.dnsTimeoutMS() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SrvLookupException(query.srvName(), "mongodb+srv look-up of '" + query.srvName()
                    + "' interrupted", e);
        }
    }

    /** The DNS servers asked, in order. */
    public List<InetSocketAddress> dnsServers() {
        return dns.servers();
    }

    /** The event loop the look-ups' results complete on. */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    private SrvResolution resolution(SrvQuery query, SrvRecords records, TxtOptions txt) {
        String name = query.srvName();
        if (!records.refused().isEmpty()) {
            throw new SrvLookupException(name, "SRV look-up of '" + name + "': " + String.join("; ", records.refused())
                    + "; no host is contacted");
        }
        if (records.hosts().isEmpty()) {
            throw new SrvLookupException(name, "SRV look-up of '" + name + "' found no SRV records (" + records.rcode()
                    + "): the mongodb+srv:// URI names no hosts");
        }
        SrvResolution r = new SrvResolution(query, SrvHostSelection.initial(records.hosts(), query.maxHosts(), random),
                records, txt);
        if (query.maxHosts() > 0 && r.replicaSet() != null) {
            throw new SrvLookupException(name, "srvMaxHosts=" + query.maxHosts() + " cannot be combined with"
                    + " replicaSet=" + r.replicaSet() + " (from the TXT record of '" + query.host() + "')");
        }
        if (query.maxHosts() > 0 && r.loadBalanced()) {
            throw new SrvLookupException(name, "srvMaxHosts=" + query.maxHosts() + " cannot be combined with"
                    + " loadBalanced=true (from the TXT record of '" + query.host() + "')");
        }
        if (r.loadBalanced() && r.replicaSet() != null) {
            throw new SrvLookupException(name, "loadBalanced=true cannot be combined with replicaSet=" + r.replicaSet()
                    + " (URI and TXT record of '" + query.host() + "' together)");
        }
        if (r.loadBalanced() && records.hosts().size() > 1) {
            throw new SrvLookupException(name, "loadBalanced=true needs exactly one host, but '" + name + "' has "
                    + records.hosts().size() + " SRV records " + records.hosts());
        }
        return r;
    }

    private static <T> CompletableFuture<T> unwrapped(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> {
            if (e == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
        });
        return out;
    }

    @Override
    public void close() {
        dns.close();
    }
}
