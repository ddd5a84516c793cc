package dev.sluice.server.topology.srv;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Decodes the data of SRV (RFC 2782) and TXT (RFC 1035 3.3.14) records that Netty hands over raw. */
final class DnsRecordContent {

    /** An SRV record's target and port; priority and weight are ignored, as the spec requires. */
    record SrvTarget(String host, int port) {
    }

    private DnsRecordContent() {
    }

    /**
     * @throws CorruptedFrameException when the data is shorter than an SRV record's
     */
    static SrvTarget srv(DnsRawRecord record) {
        ByteBuf in = record.content().duplicate();
        if (in.readableBytes() < 7) {
            throw new CorruptedFrameException("SRV record of " + record.name() + ": " + in.readableBytes()
                    + " bytes (expected: >= 7)");
        }
        in.skipBytes(4); // priority, weight
        int port = in.readUnsignedShort();
        // The record's buffer is a view of the whole message, so compressed names resolve.
        String target = DefaultDnsRecordDecoder.decodeName(in);
        return new SrvTarget(normalize(target), port);
    }

    /** A TXT record's character-strings, concatenated in order (the spec's rule for long TXT values). */
    static String txt(DnsRawRecord record) {
        ByteBuf in = record.content().duplicate();
        StringBuilder b = new StringBuilder(in.readableBytes());
        while (in.isReadable()) {
            int len = in.readUnsignedByte();
            if (len > in.readableBytes()) {
                throw new CorruptedFrameException("TXT record of " + record.name() + ": string of " + len
                        + " bytes with " + in.readableBytes() + " left");
            }
            b.append(in.readCharSequence(len, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** Lower case, without the root's trailing dot. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
