package dev.sluice.server.wire;

import io.netty.buffer.ByteBuf;
import org.bson.ByteBufNIO;
import org.bson.io.OutputBuffer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Lets {@link org.bson.BsonBinaryWriter} write straight into a Netty {@link ByteBuf}, appending at
 * its writerIndex, so encoding a document costs no intermediate copy. Positions are relative to
 * the writerIndex at construction. The BSON encoding itself stays in org.mongodb:bson.
 */
final class ByteBufBsonOutput extends OutputBuffer {

    private final ByteBuf buf;
    private final int start;

    ByteBufBsonOutput(ByteBuf buf) {
        this.buf = buf;
        this.start = buf.writerIndex();
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int length) {
        buf.writeBytes(bytes, offset, length);
    }

    @Override
    public void writeByte(int value) {
        buf.writeByte(value);
    }

    @Override
    public void writeInt32(int value) {
        buf.writeIntLE(value);
    }

    @Override
    public void writeInt64(long value) {
        buf.writeLongLE(value);
    }

    @Override
    public void writeDouble(double value) {
        buf.writeLongLE(Double.doubleToRawLongBits(value));
    }

    @Override
    protected void write(int position, int value) {
        if (position < 0 || position >= getPosition()) {
            throw new IllegalArgumentException("position: " + position + " (expected: 0 to " + (getPosition() - 1) + ")");
        }
        buf.setByte(start + position, value);
    }

    @Override
    public int getPosition() {
        return buf.writerIndex() - start;
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
        buf.writerIndex(start + newPosition);
    }

    @Override
    public List<org.bson.ByteBuf> getByteBuffers() {
        return List.of(new ByteBufNIO(buf.nioBuffer(start, getSize())));
    }

    @Override
    public int pipe(OutputStream out) throws IOException {
        int size = getSize();
        buf.getBytes(start, out, size);
        return size;
    }
}
