package dev.sluice.server.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnknownCommandLogFilterTest {
    private final LoggerContext context = new LoggerContext();
    private final UnknownCommandLogFilter filter = new UnknownCommandLogFilter();

    @Test
    void dropsOnlyTheBackendsUnknownCommandError() {
        var backend = context.getLogger(UnknownCommandLogFilter.LOGGER);
        assertThat(filter.decide(null, backend, Level.ERROR, UnknownCommandLogFilter.FORMAT, new Object[] {"{}"}, null))
                .isEqualTo(FilterReply.DENY);
        assertThat(filter.decide(null, backend, Level.WARN,
                "adding secondary index with keys {} is not yet implemented. ignoring", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, backend, Level.ERROR, "something else: {}", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, context.getLogger("dev.sluice.server.SluiceServer"), Level.ERROR,
                UnknownCommandLogFilter.FORMAT, null, null)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void sluicesLogbackConfigurationInstallsIt() throws Exception {
        var url = UnknownCommandLogFilter.class.getResource("/logback.xml");
        assertThat(url).as("sluice-server's logback.xml").isNotNull();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(url);
        assertThat(context.getTurboFilterList()).anyMatch(f -> f instanceof UnknownCommandLogFilter);
    }
}
