package dev.sluice.server.upstream;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.UpstreamSettings;
import dev.sluice.server.topology.ReadPreference;
import dev.sluice.server.topology.ReadPreferenceMode;
import dev.sluice.server.topology.TopologyType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The upstream URI, parsed once into the settings of monitoring, selection and pools. */
class UpstreamSettingsTest {

    @Test
    void monitoringAndSelectionDefaultsAreTheDrivers() {
        UpstreamSettings u = UpstreamSettings.fromUri("mongodb://db1,db2:27018/", false);
        assertThat(u.localThresholdMS()).isEqualTo(15);
        assertThat(u.serverSelectionTimeoutMS()).isEqualTo(30_000);
        assertThat(u.heartbeatFrequencyMS()).isEqualTo(10_000);
        assertThat(u.serverMonitoringMode()).isEqualTo(UpstreamSettings.MonitoringMode.AUTO);
        assertThat(u.readPreference()).isEqualTo(ReadPreference.PRIMARY);
        assertThat(u.directConnection()).isFalse();
        assertThat(u.replicaSet()).isNull();
        assertThat(u.retryReads()).isTrue();
        assertThat(u.retryWrites()).isTrue();
        assertThat(u.warnings()).isEmpty();
        assertThat(u.topologySettings().initialType()).isEqualTo(TopologyType.UNKNOWN);
        assertThat(u.topologySettings().seeds()).hasToString("[db1:27017, db2:27018]");
    }

    @Test
    void theUriSetsTopologySelectionAndReadPreference() {
        UpstreamSettings u = UpstreamSettings.fromUri("mongodb://db1/?replicaSet=rs0&readPreference=secondaryPreferred"
                + "&readPreferenceTags=dc:ny&readPreferenceTags=&maxStalenessSeconds=120&localThresholdMS=30"
                + "&serverSelectionTimeoutMS=5000&serverMonitoringMode=poll&retryReads=false", false);
        assertThat(u.replicaSet()).isEqualTo("rs0");
        assertThat(u.topologySettings().initialType()).isEqualTo(TopologyType.REPLICA_SET_NO_PRIMARY);
        assertThat(u.readPreference().mode()).isEqualTo(ReadPreferenceMode.SECONDARY_PREFERRED);
        assertThat(u.readPreference().tagSets()).containsExactly(Map.of("dc", "ny"), Map.of());
        assertThat(u.readPreference().maxStalenessSeconds()).hasValue(120);
        assertThat(u.localThresholdMS()).isEqualTo(30);
        assertThat(u.selectionSettings().localThresholdMS()).isEqualTo(30);
        assertThat(u.serverSelectionTimeoutMS()).isEqualTo(5_000);
        assertThat(u.serverMonitoringMode()).isEqualTo(UpstreamSettings.MonitoringMode.POLL);
        assertThat(u.retryReads()).isFalse();
        assertThat(UpstreamSettings.fromUri("mongodb://db1/?directConnection=true", false).topologySettings()
                .initialType()).isEqualTo(TopologyType.SINGLE);
    }

    @Test
    void anUnknownOptionIsAWarningAndTheUriIsMaskedWherePrinted() {
        UpstreamSettings u = UpstreamSettings.fromUri("mongodb://db1/?maxPoolSize=5&colour=blue", false);
        assertThat(u.warnings()).containsExactly("Unsupported option 'colour'; it is ignored");
        assertThat(u.pool().maxPoolSize()).isEqualTo(5);
    }

    @Test
    void anInvalidValueOfAnOptionSluiceAppliesIsRefusedByName() {
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?heartbeatFrequencyMS=100", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("heartbeatFrequencyMS")
                .hasMessageContaining("500");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?serverMonitoringMode=sometimes", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("serverMonitoringMode");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?readPreference=primary&maxStalenessSeconds=120",
                false)).isInstanceOf(ConfigException.class).hasMessageContaining("maxStalenessSeconds");
    }

    @Test
    void mongodbX509NeedsTlsAndTheCertificateKeyFile() {
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?authMechanism=MONGODB-X509", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("authMechanism=MONGODB-X509 needs tls=true");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?tls=true&authMechanism=MONGODB-X509", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs tlsCertificateKeyFile");
    }

    @Test
    void whatSluiceDoesNotImplementYetIsRefusedSayingSo() {
        for (String uri : List.of("mongodb://u:p@db1/?authMechanism=PLAIN", "mongodb://db1/?authMechanism=MONGODB-AWS")) {
            assertThatThrownBy(() -> UpstreamSettings.fromUri(uri, false)).as(uri)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("not supported yet");
        }
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://u:secret@db1/?authMechanism=PLAIN", false))
                .message().doesNotContain("secret");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?authSource=admin", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("authSource without a user name");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?tls=true&tlsCAFile=/nonexistent/ca.pem", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tlsCAFile").hasMessageContaining("cannot read");
    }

    @Test
    void tlsOptionsAndScramCredentialsAreAccepted() {
        UpstreamSettings s = UpstreamSettings.fromUri("mongodb://svc:s%40cret@db1/?tls=true&tlsInsecure=true"
                + "&authSource=admin&authMechanism=SCRAM-SHA-256", false);
        assertThat(s.tls()).isTrue();
        assertThat(s.tlsOptions().allowInvalidCertificates()).isTrue();
        assertThat(s.tlsOptions().allowInvalidHostnames()).isTrue();
        assertThat(s.credential().username()).isEqualTo("svc");
        assertThat(s.credential().password()).isEqualTo("s@cret");
        assertThat(s.credential().source()).isEqualTo("admin");
        assertThat(s.uri()).doesNotContain("cret").contains("svc");
        assertThat(s.toString()).doesNotContain("cret");
        UpstreamSettings plain = UpstreamSettings.fromUri("mongodb://svc:pw@db1/appdb?ssl=true", false);
        assertThat(plain.tls()).isTrue();
        assertThat(plain.tlsOptions().allowInvalidHostnames()).isFalse();
        assertThat(plain.credential().mechanism()).as("negotiated").isNull();
        assertThat(plain.credential().source()).isEqualTo("appdb");
        assertThat(UpstreamSettings.fromUri("mongodb://db1/", false).tls()).isFalse();
        UpstreamSettings keyPassword = UpstreamSettings.fromUri("mongodb://db1/?tls=true"
                + "&tlsCertificateKeyFilePassword=k3yPa55", false);
        assertThat(keyPassword.uri()).doesNotContain("k3yPa55");
        assertThat(keyPassword.toString()).doesNotContain("k3yPa55");
        assertThat(dev.sluice.server.config.SluiceConfig.merge(dev.sluice.server.config.ConfigFile.EMPTY, "127.0.0.1:0",
                "127.0.0.1:0", "mongodb://svc:pw-in-config@db1/?tls=true").toString())
                .doesNotContain("pw-in-config").contains("svc:****@db1");
    }

    @Test
    void validOptionsSluiceDoesNotApplyAreRefusedByName() {
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://db1/?w=majority&loadBalanced=false", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("URI option w is not supported");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://%2Ftmp%2Fmongodb-27017.sock/", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Unix domain socket");
    }

    @Test
    void loadBalancedTrueMakesTheOneHostALoadBalancerAndNeedsExactlyOneHost() {
        UpstreamSettings lb = UpstreamSettings.fromUri("mongodb://lb.example:27017/?loadBalanced=true", false);
        assertThat(lb.loadBalanced()).isTrue();
        assertThat(lb.topologySettings().loadBalanced()).isTrue();
        assertThat(UpstreamSettings.fromUri("mongodb://db1/", false).loadBalanced()).isFalse();
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://lb1,lb2/?loadBalanced=true", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("loadBalanced=true needs exactly one host");
        assertThatThrownBy(() -> UpstreamSettings.fromUri("mongodb://lb1/?loadBalanced=true&replicaSet=rs", false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("loadBalanced=true and replicaSet");
    }
}
