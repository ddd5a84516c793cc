package dev.sluice.server.security.users;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The audit log: one INFO line per security-relevant action on the logger {@value #LOGGER_NAME}
 * (route it to its own file with the logging configuration), for user and role changes and for
 * whatever else the server wants recorded (kills, drops, failed authentications). Lines are
 * {@code key=value} pairs in a fixed order, values quoted and escaped as JSON strings, so that a
 * name holding spaces, quotes or newlines cannot forge a line:
 * <pre>[audit] who="admin@admin" from="127.0.0.1:50312" action="createUser" target="alice@admin" outcome="ok"</pre>
 */
public final class Audit {
    public static final String LOGGER_NAME = "sluice.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private final Consumer<AuditEvent> sink;

    /** An audit log writing to {@value #LOGGER_NAME}. */
    public Audit() {
        this(event -> LOG.info("[audit] {}", format(event)));
    }

    /** An audit log handing events to {@code sink} (tests; other destinations). */
    public Audit(Consumer<AuditEvent> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public void record(AuditEvent event) {
        sink.accept(event);
    }

    public void record(String who, String from, String action, String target, String outcome) {
        record(new AuditEvent(who, from, action, target, outcome));
    }

    /** The line written for {@code event}. */
    public static String format(AuditEvent event) {
        StringBuilder line = new StringBuilder(128);
        field(line, "who", event.who());
        field(line, "from", event.from());
        field(line, "action", event.action());
        field(line, "target", event.target());
        field(line, "outcome", event.outcome());
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        if (line.length() > 0) {
            line.append(' ');
        }
        line.append(key).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': line.append("\\\""); break;
                case '\\': line.append("\\\\"); break;
                case '\n': line.append("\\n"); break;
                case '\r': line.append("\\r"); break;
                case '\t': line.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
            }
        }
        line.append('"');
    }
}
