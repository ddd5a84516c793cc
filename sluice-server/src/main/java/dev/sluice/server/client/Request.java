package dev.sluice.server.client;

/**
 * What a reply needs to know about the request it answers. (Compression is the pipeline's:
 * {@link dev.sluice.server.wire.ClientCompression} answers a compressed request compressed.)
 *
 * @param requestId     the client's requestId (the reply's responseTo)
 * @param form          OP_MSG or OP_QUERY: replies use the form the client used
 * @param commandName   the command's name
 * @param exhaustAllowed the client set exhaustAllowed (OP_MSG)
 */
record Request(int requestId, Form form, String commandName, boolean exhaustAllowed) {
    enum Form { MSG, QUERY }

    static Request msg(int requestId, String commandName, boolean exhaustAllowed) {
        return new Request(requestId, Form.MSG, commandName, exhaustAllowed);
    }

    static Request query(int requestId, String commandName) {
        return new Request(requestId, Form.QUERY, commandName, false);
    }

    Request withRequestId(int id) {
        return new Request(id, form, commandName, exhaustAllowed);
    }
}
