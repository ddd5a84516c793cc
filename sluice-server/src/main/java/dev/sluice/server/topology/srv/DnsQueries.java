package dev.sluice.server.topology.srv;

import io.netty.channel.AddressedEnvelope;
import dev.sluice.server.net.Transport;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStream;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One question of one type to the configured DNS servers, through Netty's {@link DnsNameResolver} on a given event
 * loop. Each server is asked in turn until one answers NoError or NXDomain (a SERVFAIL, a refusal, an I/O error or a
 * timeout moves on to the next); each gets {@code dnsTimeoutMS / servers} so the whole look-up ends within
 * {@code dnsTimeoutMS}. No search domains, no CNAME following, no cache: the spec wants the name's own records, fresh
 * at each rescan. Never blocks: results complete on the event loop.
 */
final class DnsQueries implements AutoCloseable {

    private final DnsNameResolver resolver;
    private final List<InetSocketAddress> servers;
    private final long timeoutMs;

    DnsQueries(EventLoop eventLoop, SrvSettings settings) {
        this.servers = settings.dnsServers().isEmpty() ? systemServers() : settings.dnsServers();
        if (servers.isEmpty()) {
            throw new IllegalStateException("dnsServers: none given and the system names none (/etc/resolv.conf)");
        }
        this.timeoutMs = settings.dnsTimeoutMS();
        Transport transport = Transport.of(eventLoop);
        this.resolver = new DnsNameResolverBuilder(eventLoop)
                .datagramChannelType(transport.datagramChannel())
                .socketChannelType(transport.clientChannel()) // TCP when an answer is truncated
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
                .resolveCache(NoopDnsCache.INSTANCE)
                .queryTimeoutMillis(Math.max(1, timeoutMs / servers.size()))
                .recursionDesired(true)
                .build();
    }

    private static List<InetSocketAddress> systemServers() {
        DnsServerAddressStream stream = DnsServerAddressStreamProviders.platformDefault().nameServerAddressStream("");
        List<InetSocketAddress> list = new ArrayList<>();
        for (int i = 0, n = stream.size(); i < n; i++) {
            InetSocketAddress a = stream.next();
            if (!list.contains(a)) {
                list.add(a);
            }
        }
        return list;
    }

    List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * Asks for {@code name}'s records of {@code type}.
     *
     * @param decode turns one raw record into a value (may throw to refuse a malformed record)
     * @return the answer, or a failure ({@link SrvLookupException}) naming the name, the servers and why
     */
    <T> CompletableFuture<DnsAnswer<T>> query(String name, DnsRecordType type, Function<DnsRawRecord, T> decode) {
        CompletableFuture<DnsAnswer<T>> result = new CompletableFuture<>();
        ask(name, type, decode, 0, new StringBuilder(), result);
        return result;
    }

    private <T> void ask(String name, DnsRecordType type, Function<DnsRawRecord, T> decode, int index,
                         StringBuilder failures, CompletableFuture<DnsAnswer<T>> result) {
        if (index == servers.size()) {
            result.completeExceptionally(new SrvLookupException(name, "DNS " + type.name() + " look-up of '" + name
                    + "' failed: " + failures + " (dnsServers " + show(servers) + ", dnsTimeoutMS " + timeoutMs
                    + ")"));
            return;
        }
        InetSocketAddress server = servers.get(index);
        resolver.query(server, new DefaultDnsQuestion(name, type)).addListener(f -> {
            if (!f.isSuccess()) {
                failures.append(failures.length() == 0 ? "" : "; ").append(show(server)).append(": ")
                        .append(f.cause() instanceof DnsNameResolverTimeoutException
                                ? "timed out after " + resolver.queryTimeoutMillis() + " ms"
                                : String.valueOf(f.cause().getMessage()));
                ask(name, type, decode, index + 1, failures, result);
                return;
            }
            @SuppressWarnings("unchecked")
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope =
                    (AddressedEnvelope<DnsResponse, InetSocketAddress>) f.getNow();
            try {
                DnsResponse response = envelope.content();
                DnsResponseCode code = response.code();
                if (code != DnsResponseCode.NOERROR && code != DnsResponseCode.NXDOMAIN) {
                    failures.append(failures.length() == 0 ? "" : "; ").append(show(server)).append(": answered ")
                            .append(code.toString());
                    ask(name, type, decode, index + 1, failures, result);
                    return;
                }
                result.complete(answer(name, type, decode, response, server));
            } catch (RuntimeException e) {
                result.completeExceptionally(new SrvLookupException(name, "DNS " + type.name() + " look-up of '"
                        + name + "': malformed answer from " + show(server) + ": " + e.getMessage(), e));
            } finally {
                envelope.release();
            }
        });
    }

    private static <T> DnsAnswer<T> answer(String name, DnsRecordType type, Function<DnsRawRecord, T> decode,
                                           DnsResponse response, InetSocketAddress server) {
        String asked = DnsRecordContent.normalize(name);
        List<T> records = new ArrayList<>();
        long minTtl = -1;
        for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type() != type || !(r instanceof DnsRawRecord raw)
                    || !DnsRecordContent.normalize(r.name()).equals(asked)) {
                continue; // a CNAME, or a record of another name: not followed (the spec does not support CNAME)
            }
            records.add(decode.apply(raw));
            minTtl = minTtl < 0 ? r.timeToLive() : Math.min(minTtl, r.timeToLive());
        }
        return new DnsAnswer<>(records, minTtl, response.code().toString(), show(server));
    }

    /** "host:port" ("[v6]:port"), without InetSocketAddress's leading slash. */
    static String show(InetSocketAddress a) {
        String h = a.getHostString();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    static String show(List<InetSocketAddress> list) {
        StringBuilder b = new StringBuilder("[");
        for (InetSocketAddress a : list) {
            b.append(b.length() > 1 ? ", " : "").append(show(a));
        }
        return b.append(']').toString();
    }

    @Override
    public void close() {
        resolver.close();
    }
}
