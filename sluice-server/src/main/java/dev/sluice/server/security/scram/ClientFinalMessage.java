package dev.sluice.server.security.scram;

import java.util.Base64;

/**
 * A parsed client-final-message (RFC 5802 §7):
 * {@code "c=" base64(gs2-header) "," "r=" nonce ["," extensions] "," "p=" base64(proof)}.
 *
 * @param withoutProof client-final-message-without-proof, part of the AuthMessage
 * @param channelBinding the decoded {@code c=} value
 * @param nonce        the combined client+server nonce
 * @param proof        the decoded ClientProof
 */
record ClientFinalMessage(String withoutProof, byte[] channelBinding, String nonce, byte[] proof) {

    static ClientFinalMessage parse(String message) throws ScramMessageException {
        int lastComma = message.lastIndexOf(',');
        if (lastComma < 0) {
            throw new ScramMessageException("client-final-message has no proof");
        }
        String withoutProof = message.substring(0, lastComma);
        String proofField = message.substring(lastComma + 1);
        if (!proofField.startsWith("p=") || proofField.length() < 3) {
            throw new ScramMessageException("bad proof attribute");
        }
        String[] fields = withoutProof.split(",", -1);
        if (fields.length < 2) {
            throw new ScramMessageException("client-final-message needs channel binding and nonce");
        }
        if (!fields[0].startsWith("c=") || fields[0].length() < 3) {
            throw new ScramMessageException("bad channel-binding attribute");
        }
        if (!fields[1].startsWith("r=") || fields[1].length() < 6) {
            throw new ScramMessageException("bad nonce attribute");
        }
        return new ClientFinalMessage(withoutProof, base64(fields[0].substring(2)), fields[1].substring(2),
                base64(proofField.substring(2)));
    }

    private static byte[] base64(String value) throws ScramMessageException {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ScramMessageException("an attribute is not base64");
        }
    }
}
