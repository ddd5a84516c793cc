package dev.sluice.pool;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolSettingsTest {

    @Test
    void defaultsFollowTheSpecification() {
        PoolSettings s = PoolSettings.builder().build();
        assertThat(s.maxPoolSize()).isEqualTo(100);
        assertThat(s.minPoolSize()).isZero();
        assertThat(s.maxConnecting()).isEqualTo(2);
        assertThat(s.maxIdleTimeMS()).isZero();
        assertThat(s.waitQueueTimeoutMS()).isZero();
        assertThat(s.maintenanceIntervalMS()).isEqualTo(1000);
    }

    @Test
    void minPoolSizeAboveMaxPoolSizeNamesBoth() {
        assertThatThrownBy(() -> PoolSettings.builder().maxPoolSize(8).minPoolSize(12).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minPoolSize: 12")
                .hasMessageContaining("maxPoolSize, which is 8");
    }

    @Test
    void minPoolSizeIsUnboundedWhenMaxPoolSizeIsZero() {
        assertThat(PoolSettings.builder().maxPoolSize(0).minPoolSize(500).build().minPoolSize()).isEqualTo(500);
    }

    @Test
    void outOfRangeValuesNameTheSettingAndRange() {
        assertThatThrownBy(() -> PoolSettings.builder().maxPoolSize(-1).build())
                .hasMessage("maxPoolSize: -1 (expected: >= 0)");
        assertThatThrownBy(() -> PoolSettings.builder().maxConnecting(0).build())
                .hasMessage("maxConnecting: 0 (expected: >= 1)");
        assertThatThrownBy(() -> PoolSettings.builder().maxIdleTimeMS(-5).build())
                .hasMessage("maxIdleTimeMS: -5 (expected: >= 0)");
        assertThatThrownBy(() -> PoolSettings.builder().waitQueueTimeoutMS(-1).build())
                .hasMessage("waitQueueTimeoutMS: -1 (expected: >= 0)");
        assertThatThrownBy(() -> PoolSettings.builder().minPoolSize(-2).build())
                .hasMessage("minPoolSize: -2 (expected: >= 0)");
    }

    @Test
    void builderFromExistingCopiesEveryValue() {
        PoolSettings s = PoolSettings.builder().maxPoolSize(7).minPoolSize(3).maxConnecting(4).maxIdleTimeMS(9)
                .waitQueueTimeoutMS(11).maintenanceIntervalMS(-1).build();
        assertThat(PoolSettings.builder(s).build()).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(PoolSettings.builder(s).maxPoolSize(8).build().maxPoolSize()).isEqualTo(8);
    }

    @Test
    void connectionStringOptionsAreReadCaseInsensitively() {
        PoolSettings s = PoolSettings.builder().applyConnectionString(
                "mongodb://user:pw@db1:27017,db2:27017/app?replicaSet=rs0&MAXPOOLSIZE=20&minpoolsize=2"
                        + "&maxConnecting=3&maxIdleTimeMS=60000&waitQueueTimeoutMs=1500&appName=x").build();
        assertThat(s.maxPoolSize()).isEqualTo(20);
        assertThat(s.minPoolSize()).isEqualTo(2);
        assertThat(s.maxConnecting()).isEqualTo(3);
        assertThat(s.maxIdleTimeMS()).isEqualTo(60000);
        assertThat(s.waitQueueTimeoutMS()).isEqualTo(1500);
    }

    @Test
    void connectionStringWithoutPoolOptionsKeepsCurrentValues() {
        PoolSettings s = PoolSettings.builder().maxPoolSize(5).applyConnectionString("mongodb+srv://c.example.net/")
                .build();
        assertThat(s.maxPoolSize()).isEqualTo(5);
    }

    @Test
    void badConnectionStringValuesNameTheOptionAndRange() {
        assertThatThrownBy(() -> PoolSettings.builder().applyConnectionString("mongodb://h/?maxPoolSize=lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPoolSize: 'lots' is not an integer (expected: an integer >= 0 and <= 2147483647)");
        assertThatThrownBy(() -> PoolSettings.builder().applyConnectionString("mongodb://h/?maxConnecting=0"))
                .hasMessage("maxConnecting: 0 (expected: an integer >= 1 and <= 2147483647)");
        assertThatThrownBy(() -> PoolSettings.builder().applyConnectionString("mongodb://h/?waitQueueTimeoutMS=-3"))
                .hasMessage("waitQueueTimeoutMS: -3 (expected: an integer >= 0)");
        assertThatThrownBy(() -> PoolSettings.builder()
                .applyConnectionString("mongodb://h/?maxPoolSize=2&minPoolSize=3").build())
                .hasMessageContaining("minPoolSize: 3");
    }

    @Test
    void notAMongoUriIsRejectedWithoutPrintingCredentials() {
        assertThatThrownBy(() -> PoolSettings.builder().applyConnectionString("postgres://u:secret@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: a URI starting with mongodb:// or mongodb+srv://")
                .hasMessageNotContaining("secret");
    }
}
