package dev.sluice.server.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the embedded backend's ERROR line for a command it does not know ("unknown query: {...}"), which carries the
 * whole command: any client could write its largest message into Sluice's log with each request. The client gets
 * the CommandNotFound reply anyway. The backend's other lines (WARN and below) pass. Installed by
 * {@code logback.xml}.
 */
public final class UnknownCommandLogFilter extends TurboFilter {
    static final String LOGGER = "de.bwaldvogel.mongo.backend.AbstractMongoDatabase";
    static final String FORMAT = "unknown query: {}";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.ERROR && FORMAT.equals(format) && logger != null && LOGGER.equals(logger.getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
