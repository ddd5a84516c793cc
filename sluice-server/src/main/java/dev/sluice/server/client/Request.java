package dev.sluice.server.client;

import dev.sluice.server.wire.Compressor;

/**
 * What a reply needs to know about the request it answers.
 *
 * @param requestId     the client's requestId (the reply's responseTo)
 * @param form          OP_MSG or OP_QUERY: replies use the form the client used
 * @param compressor    the compressor the request arrived with (replies use the same), or null
 * @param commandName   the command's name
 * @param exhaustAllowed the client set exhaustAllowed (OP_MSG)
 */
record Request(int requestId, Form form, Compressor compressor, String commandName, boolean exhaustAllowed) {
    enum Form { MSG, QUERY }

    static Request msg(int requestId, Compressor compressor, String commandName, boolean exhaustAllowed) {
        return new Request(requestId, Form.MSG, compressor, commandName, exhaustAllowed);
    }

    static Request query(int requestId, String commandName) {
        return new Request(requestId, Form.QUERY, null, commandName, false);
    }

    Request withRequestId(int id) {
        return new Request(id, form, compressor, commandName, exhaustAllowed);
    }
}
