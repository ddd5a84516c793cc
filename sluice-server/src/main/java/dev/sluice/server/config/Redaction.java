package dev.sluice.server.config;

/** Masks the values of secret options (proxyPassword, tlsCertificateKeyFilePassword) in a URI's tail. */
final class Redaction {

    private Redaction() {
    }

    /** {@code tail} is "/db?opts", "/db" or "?opts"; returns it with secret option values replaced by "****". */
    static String tail(String tail) {
        int q = tail.indexOf('?');
        if (q < 0) {
            return tail;
        }
        StringBuilder b = new StringBuilder(tail.substring(0, q + 1));
        String[] pairs = tail.substring(q + 1).split("(?<=[&;])", -1);
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            UriOption o = eq < 0 ? null : UriOption.byKey(pair.substring(0, eq));
            if (o != null && o.kind() == UriOption.Kind.SECRET) {
                boolean sep = pair.endsWith("&") || pair.endsWith(";");
                b.append(pair, 0, eq + 1).append("****").append(sep ? pair.substring(pair.length() - 1) : "");
            } else {
                b.append(pair);
            }
        }
        return b.toString();
    }
}
