package dev.sluice.server.wire;

import com.github.luben.zstd.Zstd;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.InflaterInputStream;

import static dev.sluice.server.wire.Compressor.SNAPPY;
import static dev.sluice.server.wire.Compressor.ZLIB;
import static dev.sluice.server.wire.Compressor.ZSTD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressorTest extends WireTestBase {

    private static final byte[] TEXT = "the quick brown fox jumps over the lazy dog; ".repeat(200)
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void namesAndIdsFollowTheSpec() {
        assertThat(Compressor.byName("snappy")).isEqualTo(SNAPPY);
        assertThat(Compressor.byName("zlib")).isEqualTo(ZLIB);
        assertThat(Compressor.byName("zstd")).isEqualTo(ZSTD);
        assertThat(Compressor.byName("noop")).isEqualTo(Compressor.NOOP);
        assertThat(Compressor.byName("lz4")).isNull();
        assertThat(Compressor.byName("ZLIB")).isNull();
        assertThat(Compressor.byId(0)).isEqualTo(Compressor.NOOP);
        assertThat(Compressor.byId(1)).isEqualTo(SNAPPY);
        assertThat(Compressor.byId(2)).isEqualTo(ZLIB);
        assertThat(Compressor.byId(3)).isEqualTo(ZSTD);
        assertThat(Compressor.byId(4)).isNull();
        assertThat(ZSTD.wireName()).isEqualTo("zstd");
    }

    @Test
    void negotiatesInTheClientsOrderOfPreference() {
        assertThat(Compressor.negotiate(List.of("zstd", "snappy", "zlib"), List.of(ZLIB, SNAPPY)))
                .containsExactly(SNAPPY, ZLIB);
        assertThat(Compressor.negotiate(List.of("zlib", "zstd"), List.of(ZSTD, ZLIB, SNAPPY)))
                .containsExactly(ZLIB, ZSTD);
    }

    @Test
    void negotiationIgnoresUnknownAndRepeatedNames() {
        assertThat(Compressor.negotiate(List.of("lz4", "zlib", "zlib", "brotli"), List.of(ZLIB, ZSTD)))
                .containsExactly(ZLIB);
        assertThat(Compressor.negotiate(List.of(), List.of(ZLIB))).isEmpty();
        assertThat(Compressor.negotiate(List.of("snappy"), List.of())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void roundTrips(Compressor compressor) {
        ByteBuf in = buf(TEXT);
        ByteBuf compressed = compressor.compress(in, alloc);
        assertThat(in.readableBytes()).as("input not consumed").isEqualTo(TEXT.length);
        in.release();
        if (compressor != Compressor.NOOP) {
            assertThat(compressed.readableBytes()).isLessThan(TEXT.length / 4);
        }
        ByteBuf plain = compressor.decompress(compressed, TEXT.length, alloc);
        compressed.release();
        assertThat(drain(plain)).isEqualTo(TEXT);
    }

    @ParameterizedTest
    @EnumSource(Compressor.class)
    void roundTripsEmptyInput(Compressor compressor) {
        ByteBuf in = buf(new byte[0]);
        ByteBuf compressed = compressor.compress(in, alloc);
        in.release();
        ByteBuf plain = compressor.decompress(compressed, 0, alloc);
        compressed.release();
        assertThat(drain(plain)).isEmpty();
    }

    @Test
    void writesFormatsOtherImplementationsRead() throws IOException {
        ByteBuf in = buf(TEXT);
        byte[] snappy = drain(SNAPPY.compress(in, alloc));
        byte[] zlib = drain(ZLIB.compress(in, alloc, 9));
        byte[] zstd = drain(ZSTD.compress(in, alloc));
        in.release();
        assertThat(Snappy.uncompress(snappy)).isEqualTo(TEXT);
        try (InflaterInputStream inflater = new InflaterInputStream(new ByteArrayInputStream(zlib))) {
            assertThat(inflater.readAllBytes()).isEqualTo(TEXT);
        }
        assertThat(Zstd.decompress(zstd, TEXT.length)).isEqualTo(TEXT);
    }

    @Test
    void compressesAtEveryZlibLevel() {
        ByteBuf in = buf(TEXT);
        for (int level = -1; level <= 9; level++) {
            ByteBuf compressed = ZLIB.compress(in, alloc, level);
            ByteBuf plain = ZLIB.decompress(compressed, TEXT.length, alloc);
            compressed.release();
            assertThat(drain(plain)).as("level %d", level).isEqualTo(TEXT);
        }
        assertThatThrownBy(() -> ZLIB.compress(in, alloc, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("zlibCompressionLevel: 10 (expected: -1 to 9)");
        in.release();
    }

    @ParameterizedTest
    @EnumSource(value = Compressor.class, names = {"SNAPPY", "ZLIB", "ZSTD"})
    void refusesGarbage(Compressor compressor) {
        ByteBuf garbage = buf("definitely not compressed data!!".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> compressor.decompress(garbage, 100, alloc))
                .isInstanceOf(WireProtocolException.class)
                .hasMessageStartingWith(compressor.wireName() + ": ");
        garbage.release();
    }

    @Test
    void refusesANegativeUncompressedSize() {
        ByteBuf in = buf(new byte[4]);
        assertThatThrownBy(() -> ZLIB.decompress(in, -1, alloc)).isInstanceOf(WireProtocolException.class)
                .hasMessage("uncompressedSize: -1 (expected: >= 0)");
        in.release();
    }
}
