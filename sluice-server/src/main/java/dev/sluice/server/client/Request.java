package dev.sluice.server.client;

/**
 * What a reply needs to know about the request it answers. (Compression is the pipeline's:
 * {@link dev.sluice.server.wire.ClientCompression} answers a compressed request compressed.) A forwarded request is
 * one object with its operation's router input and callback ({@code ClientSession.Forwarded}); the others are
 * {@link Plain}.
 */
interface Request {
    enum Form { MSG, QUERY }

    /** @return the client's requestId (the reply's responseTo) */
    int requestId();

    /** @return OP_MSG or OP_QUERY: replies use the form the client used */
    Form form();

    /** @return the command's name */
    String commandName();

    /** @return the client set exhaustAllowed (OP_MSG) */
    boolean exhaustAllowed();

    static Request msg(int requestId, String commandName, boolean exhaustAllowed) {
        return new Plain(requestId, Form.MSG, commandName, exhaustAllowed);
    }

    static Request query(int requestId, String commandName) {
        return new Plain(requestId, Form.QUERY, commandName, false);
    }

    default Request withRequestId(int id) {
        return new Plain(id, form(), commandName(), exhaustAllowed());
    }

    /** A request answered by Sluice itself. */
    record Plain(int requestId, Form form, String commandName, boolean exhaustAllowed) implements Request {
    }
}
