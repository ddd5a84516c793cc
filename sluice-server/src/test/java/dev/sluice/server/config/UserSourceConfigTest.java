package dev.sluice.server.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserSourceConfigTest {
    private static final String SERVICE_URI = "mongodb://svc:pw@db1:27017/?authSource=admin";

    private static SluiceConfig merge(String yaml, String upstream, boolean auth, String userSourceFlag) {
        return SluiceConfig.merge(yaml == null ? null : ConfigFile.parse(yaml, "test"),
                new SluiceConfig.Flags("127.0.0.1:0", "127.0.0.1:0", null, upstream, false, auth, null, null, userSourceFlag));
    }

    @Test
    void sluiceIsTheDefaultWithAThirtySecondCache() {
        UserSourceSettings users = merge(null, null, false, null).users();
        assertThat(users.source()).isEqualTo(UserSource.SLUICE);
        assertThat(users.cacheTTLSeconds()).isEqualTo(30);
        assertThat(users.cacheSize()).isEqualTo(1_000);
        assertThat(users.maxConnectionsPerHost()).isZero();
    }

    @Test
    void theYamlSetsTheClusterSourceItsCacheAndThePerHostBound() {
        UserSourceSettings users = merge("security: {authorization: enabled, userSource: cluster, "
                + "clusterUserCacheTTLSeconds: 5, clusterUserCacheSize: 50}\nmaxConnectionsPerHost: 200\n",
                SERVICE_URI, false, null).users();
        assertThat(users.cluster()).isTrue();
        assertThat(users.cacheTTLSeconds()).isEqualTo(5);
        assertThat(users.cacheSize()).isEqualTo(50);
        assertThat(users.maxConnectionsPerHost()).isEqualTo(200);
    }

    @Test
    void theFlagWinsOverTheFile() {
        assertThat(merge("security: {userSource: sluice}\n", SERVICE_URI, true, "cluster").users().cluster()).isTrue();
    }

    @Test
    void badValuesNameTheSettingAndWhatIsAllowed() {
        assertThatThrownBy(() -> merge(null, SERVICE_URI, true, "ldap"))
                .hasMessageContaining("security.userSource").hasMessageContaining("sluice or cluster");
        assertThatThrownBy(() -> merge("security: {clusterUserCacheTTLSeconds: 0}\n", null, false, null))
                .hasMessageContaining("security.clusterUserCacheTTLSeconds");
        assertThatThrownBy(() -> merge("security: {clusterUserCacheSize: 0}\n", null, false, null))
                .hasMessageContaining("security.clusterUserCacheSize");
        assertThatThrownBy(() -> merge("maxConnectionsPerHost: -1\n", null, false, null))
                .hasMessageContaining("maxConnectionsPerHost");
    }

    @Test
    void theClusterSourceNeedsAuthorizationAndAServiceUserInTheUri() {
        assertThatThrownBy(() -> merge(null, SERVICE_URI, false, "cluster"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("security.authorization");
        assertThatThrownBy(() -> merge(null, "mongodb://db1:27017/", true, "cluster"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("service user");
        assertThatThrownBy(() -> merge(null, null, true, "cluster"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("service user");
    }
}
