package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigChangesTest {
    private static SluiceConfig config(String yaml) {
        return SluiceConfig.merge(ConfigFile.parse(yaml, "test"), "127.0.0.1:27016", "127.0.0.1:27080", null);
    }

    @Test
    void thePoolSizeTheIncomingLimitAndTheBudgetChangeAtRuntime() {
        SluiceConfig a = config("upstream: mongodb://db1:27017/?maxPoolSize=10&appName=x\nmaxIncomingConnections: 100\n"
                + "fleet: {enabled: true, connectionBudget: 40}");
        SluiceConfig b = config("upstream: mongodb://db1:27017/?maxPoolSize=4&appName=x\nmaxIncomingConnections: 50\n"
                + "fleet: {enabled: true, connectionBudget: 30}");
        ConfigChanges changes = ConfigChanges.between(a, b);
        assertThat(changes.needRestart()).isEmpty();
        assertThat(changes.maxPoolSize()).isEqualTo(4);
        assertThat(changes.maxIncomingConnections()).isEqualTo(50);
        assertThat(changes.connectionBudget()).isEqualTo(30);
        assertThat(ConfigChanges.between(a, a).none()).isTrue();
    }

    @Test
    void everythingElseIsNamedByItsKey() {
        SluiceConfig a = config("upstream: mongodb://db1:27017/?maxPoolSize=10\ncompressors: [zstd]\n"
                + "loginTimeoutMS: 5000\nsecurity: {authorization: enabled}");
        SluiceConfig b = config("upstream: mongodb://db2:27017/?maxPoolSize=10\ncompressors: [snappy]\n"
                + "loginTimeoutMS: 6000\nsecurity: {authorization: disabled}");
        ConfigChanges changes = ConfigChanges.between(a, b);
        assertThat(changes.needRestart()).containsExactlyInAnyOrder(
                "upstream (only its maxPoolSize option can change at runtime)", "compressors",
                "limits.loginTimeoutMS", "authorization");
        assertThat(changes.maxPoolSize()).isNull();
    }

    @Test
    void onlyMaxPoolSizeIsIgnoredWhenComparingUris() {
        assertThat(ConfigChanges.withoutMaxPoolSize("mongodb://h/?maxPoolSize=3&appName=a"))
                .isEqualTo("mongodb://h/?appName=a");
        assertThat(ConfigChanges.withoutMaxPoolSize("mongodb://h/?appName=a&maxPoolSize=3"))
                .isEqualTo("mongodb://h/?appName=a");
        assertThat(ConfigChanges.withoutMaxPoolSize("mongodb://h/?maxPoolSize=3")).isEqualTo("mongodb://h/");
        assertThat(ConfigChanges.withoutMaxPoolSize("mongodb://h/?minPoolSize=3")).isEqualTo("mongodb://h/?minPoolSize=3");
    }
}
