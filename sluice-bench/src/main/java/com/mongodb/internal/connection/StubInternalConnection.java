package com.mongodb.internal.connection;

import com.mongodb.connection.ConnectionDescription;
import com.mongodb.connection.ServerDescription;
import com.mongodb.connection.ServerId;
import com.mongodb.connection.ServerType;
import com.mongodb.internal.async.SingleResultCallback;
import org.bson.ByteBuf;
import org.bson.codecs.Decoder;

import java.util.List;

/** A driver connection that does no I/O: opening and closing only flip flags. */
final class StubInternalConnection implements InternalConnection {

    private final ConnectionDescription description;
    private final ServerDescription serverDescription;
    private final int generation;
    private volatile boolean opened;
    private volatile boolean closed;

    StubInternalConnection(ServerId serverId, int generation) {
        this.description = new ConnectionDescription(serverId);
        this.serverDescription = ServerDescription.builder().address(serverId.getAddress())
                .state(com.mongodb.connection.ServerConnectionState.CONNECTED).type(ServerType.STANDALONE).build();
        this.generation = generation;
    }

    @Override
    public ConnectionDescription getDescription() {
        return description;
    }

    @Override
    public ServerDescription getInitialServerDescription() {
        return serverDescription;
    }

    @Override
    public void open(OperationContext operationContext) {
        opened = true;
    }

    @Override
    public void openAsync(OperationContext operationContext, SingleResultCallback<Void> callback) {
        opened = true;
        callback.onResult(null, null);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean opened() {
        return opened;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getGeneration() {
        return generation;
    }

    @Override
    public <T> T sendAndReceive(CommandMessage message, Decoder<T> decoder, OperationContext operationContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> void send(CommandMessage message, Decoder<T> decoder, OperationContext operationContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T receive(Decoder<T> decoder, OperationContext operationContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean hasMoreToCome() {
        return false;
    }

    @Override
    public <T> void sendAndReceiveAsync(CommandMessage message, Decoder<T> decoder, OperationContext operationContext,
                                        SingleResultCallback<T> callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendMessage(List<ByteBuf> byteBuffers, int lastRequestId, OperationContext operationContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ResponseBuffers receiveMessage(int responseTo, OperationContext operationContext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendMessageAsync(List<ByteBuf> byteBuffers, int lastRequestId, OperationContext operationContext,
                                 SingleResultCallback<Void> callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void receiveMessageAsync(int responseTo, OperationContext operationContext,
                                    SingleResultCallback<ResponseBuffers> callback) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ByteBuf getBuffer(int size) {
        throw new UnsupportedOperationException();
    }
}
