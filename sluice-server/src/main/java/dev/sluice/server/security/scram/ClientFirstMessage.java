package dev.sluice.server.security.scram;

/**
 * A parsed client-first-message (RFC 5802 §7):
 * {@code gs2-cbind-flag "," [authzid] "," [reserved-mext ","] username "," nonce ["," extensions]}.
 *
 * @param gs2Header the raw header including its trailing comma ({@code "n,,"}), echoed in {@code c=}
 * @param bare      client-first-message-bare, part of the AuthMessage
 * @param user      the decoded user name
 * @param nonce     the client nonce
 */
record ClientFirstMessage(String gs2Header, String bare, String user, String nonce) {

    static ClientFirstMessage parse(String message) throws ScramMessageException {
        int flagEnd = message.indexOf(',');
        if (flagEnd < 0) {
            throw new ScramMessageException("client-first-message has no gs2 header");
        }
        String flag = message.substring(0, flagEnd);
        if (flag.startsWith("p=")) {
            throw new ScramMessageException("client asked for channel binding, which is not supported");
        }
        if (!flag.equals("n") && !flag.equals("y")) {
            throw new ScramMessageException("bad gs2 channel-binding flag");
        }
        int headerEnd = message.indexOf(',', flagEnd + 1);
        if (headerEnd < 0) {
            throw new ScramMessageException("client-first-message has an incomplete gs2 header");
        }
        String authzid = message.substring(flagEnd + 1, headerEnd);
        if (!authzid.isEmpty() && !authzid.startsWith("a=")) {
            throw new ScramMessageException("bad gs2 authzid");
        }
        String bare = message.substring(headerEnd + 1);
        if (bare.startsWith("m=")) {
            throw new ScramMessageException("mandatory SCRAM extensions are not supported");
        }
        String[] fields = bare.split(",", -1);
        if (fields.length < 2) {
            throw new ScramMessageException("client-first-message-bare needs a user name and a nonce");
        }
        if (!fields[0].startsWith("n=") || fields[0].length() < 3) {
            throw new ScramMessageException("bad user name attribute");
        }
        String user = decodeSaslName(fields[0].substring(2));
        if (!authzid.isEmpty() && !decodeSaslName(authzid.substring(2)).equals(user)) {
            throw new ScramMessageException("authzid differs from the user name");
        }
        if (!fields[1].startsWith("r=") || fields[1].length() < 6) {
            throw new ScramMessageException("bad client nonce attribute");
        }
        String nonce = fields[1].substring(2);
        checkPrintable(nonce);
        return new ClientFirstMessage(message.substring(0, headerEnd + 1), bare, user, nonce);
    }

    /** RFC 5802 saslname: "=2C" is ',', "=3D" is '='; any other '=' is malformed. */
    static String decodeSaslName(String encoded) throws ScramMessageException {
        StringBuilder out = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '=') {
                out.append(c);
                continue;
            }
            if (encoded.startsWith("=2C", i)) {
                out.append(',');
            } else if (encoded.startsWith("=3D", i)) {
                out.append('=');
            } else {
                throw new ScramMessageException("bad '=' escape in a user name");
            }
            i += 2;
        }
        return out.toString();
    }

    /** RFC 5802 printable: %x21-2B / %x2D-7E (no comma, no space, ASCII only). */
    static void checkPrintable(String nonce) throws ScramMessageException {
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                throw new ScramMessageException("nonce has a character outside RFC 5802 'printable'");
            }
        }
    }
}
