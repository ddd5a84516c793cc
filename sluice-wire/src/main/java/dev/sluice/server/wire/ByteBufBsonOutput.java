package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import org.bson.ByteBufNIO;
import org.bson.io.OutputBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Lets {@link org.bson.BsonBinaryWriter} write into a Netty {@link ByteBuf}, appending at its writerIndex.
 * Positions are relative to the writerIndex at construction. The BSON encoding itself stays in org.mongodb:bson.
 *
 * <p>The writer emits most of a document a byte at a time (names, strings, type bytes), and a {@code ByteBuf}
 * checks bounds, reference count and (through a leak-aware wrapper) delegation on every call; so bytes are
 * staged in a small per-thread array and copied into the buffer in blocks. A listing of 19,000 connections
 * spent most of its time in those checks. {@link #finish()} copies what is staged: call it once the document is
 * written (before reading the buffer).
 */
final class ByteBufBsonOutput extends OutputBuffer {
    static final int STAGE_BYTES = 1024;
    private static final FastThreadLocal<byte[]> STAGES = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[STAGE_BYTES];
        }
    };

    private final ByteBuf buf;
    private final int start;
    private final byte[] stage = STAGES.get();
    private int staged;

    ByteBufBsonOutput(ByteBuf buf) {
        this.buf = buf;
        this.start = buf.writerIndex();
    }

    /** Copies the staged bytes into the buffer. */
    void finish() {
        if (staged > 0) {
            buf.writeBytes(stage, 0, staged);
            staged = 0;
        }
    }

    private void room(int bytes) {
        if (staged + bytes > STAGE_BYTES) {
            finish();
        }
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int length) {
        if (length <= STAGE_BYTES / 4) {
            room(length);
            System.arraycopy(bytes, offset, stage, staged, length);
            staged += length;
            return;
        }
        finish();
        buf.writeBytes(bytes, offset, length);
    }

    @Override
    public void writeByte(int value) {
        room(1);
        stage[staged++] = (byte) value;
    }

    /** ASCII names (the usual case) go into the stage a block at a time; others take org.bson's path. */
    @Override
    public void writeCString(String value) {
        if (!ascii(value)) {
            super.writeCString(value); // UTF-8, and the refusal of a name with a null byte, are org.bson's
            return;
        }
        writeAscii(value);
        writeByte(0);
    }

    @Override
    public void writeString(String value) {
        if (!ascii(value)) {
            super.writeString(value);
            return;
        }
        writeInt32(value.length() + 1);
        writeAscii(value);
        writeByte(0);
    }

    /** True when every char is ASCII and not NUL (then a char is its one UTF-8 byte). */
    private static boolean ascii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private void writeAscii(String value) {
        int at = 0;
        int length = value.length();
        while (at < length) {
            if (staged == STAGE_BYTES) {
                finish();
            }
            int n = Math.min(length - at, STAGE_BYTES - staged);
            for (int i = 0; i < n; i++) {
                stage[staged + i] = (byte) value.charAt(at + i);
            }
            staged += n;
            at += n;
        }
    }

    @Override
    public void writeInt32(int value) {
        room(4);
        stage[staged++] = (byte) value;
        stage[staged++] = (byte) (value >>> 8);
        stage[staged++] = (byte) (value >>> 16);
        stage[staged++] = (byte) (value >>> 24);
    }

    @Override
    public void writeInt64(long value) {
        room(8);
        for (int i = 0; i < 8; i++) {
            stage[staged++] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public void writeDouble(double value) {
        writeInt64(Double.doubleToRawLongBits(value));
    }

    @Override
    protected void write(int position, int value) {
        if (position < 0 || position >= getPosition()) {
            throw new IllegalArgumentException("position: " + position + " (expected: 0 to " + (getPosition() - 1) + ")");
        }
        int written = buf.writerIndex() - start;
        if (position >= written) {
            stage[position - written] = (byte) value;
        } else {
            buf.setByte(start + position, value);
        }
    }

    @Override
    public int getPosition() {
        return buf.writerIndex() - start + staged;
    }

    @Override
    public int getSize() {
        return getPosition();
    }

    @Override
    public void truncateToPosition(int newPosition) {
        if (newPosition < 0 || newPosition > getPosition()) {
            throw new IllegalArgumentException("newPosition: " + newPosition + " (expected: 0 to " + getPosition() + ")");
        }
        finish();
        buf.writerIndex(start + newPosition);
    }

    @Override
    public List<org.bson.ByteBuf> getByteBuffers() {
        finish();
        return List.of(new ByteBufNIO(buf.nioBuffer(start, getSize())));
    }

    @Override
    public int pipe(OutputStream out) throws IOException {
        finish();
        int size = getSize();
        buf.getBytes(start, out, size);
        return size;
    }
}
