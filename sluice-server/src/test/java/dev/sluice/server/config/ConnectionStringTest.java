package dev.sluice.server.config;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sluice-specific behaviour of the connection-string parser, beyond the spec files. */
class ConnectionStringTest {

    @Test
    void validOptionsSluiceDoesNotImplementAreListedAndRefusedByName() {
        ConnectionString cs = ConnectionString.parse(
                "mongodb://h1,h2/?maxPoolSize=5&w=majority&journal=true&readConcernLevel=local&wTimeoutMS=10");

        assertThat(UpstreamUriSupport.unsupported(cs)).containsExactly("journal", "readConcernLevel", "w", "wTimeoutMS");
        assertThatThrownBy(() -> UpstreamUriSupport.requireSupported(cs)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("upstream: URI options journal, readConcernLevel, w, wTimeoutMS are not supported");
    }

    @Test
    void aUriWithOnlyHonouredOptionsIsAccepted() {
        ConnectionString cs = ConnectionString.parse("mongodb://user:pw@h1:27018,h2/?replicaSet=rs&maxPoolSize=50"
                + "&minPoolSize=2&maxConnecting=4&compressors=zstd,snappy&readPreference=secondaryPreferred"
                + "&readPreferenceTags=dc:ny&readPreferenceTags=&maxStalenessSeconds=120&tls=true&tlsCAFile=/ca.pem"
                + "&retryWrites=false&authSource=admin&authMechanism=SCRAM-SHA-256&appName=sluice");

        assertThat(UpstreamUriSupport.unsupported(cs)).isEmpty();
        UpstreamUriSupport.requireSupported(cs);
        assertThat(cs.warnings()).isEmpty();
        assertThat(cs.options().list(UriOption.COMPRESSORS)).containsExactly("zstd", "snappy");
        assertThat(cs.credential().mechanism()).isEqualTo(AuthMechanism.SCRAM_SHA_256);
        assertThat(cs.hosts()).extracting(UriHost::toHostAndPort)
                .containsExactly(new HostAndPort("h1", 27018), new HostAndPort("h2", 27017));
    }

    @Test
    void theHonouredSetExcludesWriteAndReadConcernDefaults() {
        assertThat(UpstreamUriSupport.HONOURED).doesNotContain(UriOption.W, UriOption.JOURNAL, UriOption.W_TIMEOUT_MS,
                UriOption.READ_CONCERN_LEVEL, UriOption.TIMEOUT_MS,
                UriOption.AUTH_MECHANISM_PROPERTIES, UriOption.PROXY_HOST);
        assertThat(UpstreamUriSupport.HONOURED).contains(UriOption.LOAD_BALANCED);
    }

    @Test
    void anInvalidValueIsAWarningNamingTheOptionAndTheOptionIsIgnored() {
        ConnectionString cs = ConnectionString.parse("mongodb://h/?maxPoolSize=lots&zlibCompressionLevel=12&foo=1");

        assertThat(cs.options().has(UriOption.MAX_POOL_SIZE)).isFalse();
        assertThat(cs.options().has(UriOption.ZLIB_COMPRESSION_LEVEL)).isFalse();
        assertThat(cs.warnings()).containsExactly(
                "Unsupported value for 'maxPoolSize': 'lots' (not an integer (expected: >= 0)); it is ignored",
                "Unsupported value for 'zlibCompressionLevel': '12' (out of range (expected: -1..9)); it is ignored",
                "Unsupported option 'foo'; it is ignored");
        assertThat(UpstreamUriSupport.unsupported(cs)).isEmpty();
    }

    @Test
    void passwordsNeverAppearInTheRedactedUriWarningsOrErrors() {
        ConnectionString cs = ConnectionString.parse("mongodb://bob:s3cr%40t@h/?proxyHost=p&proxyUsername=a"
                + "&proxyPassword=pxpw&tlsCertificateKeyFilePassword=keypw&proxyPort=x");

        assertThat(cs.password()).isEqualTo("s3cr@t");
        assertThat(cs.redacted()).isEqualTo("mongodb://bob:****@h/?proxyHost=p&proxyUsername=a&proxyPassword=****"
                + "&tlsCertificateKeyFilePassword=****&proxyPort=x");
        assertThat(cs.toString() + cs.warnings() + cs.credential() + cs.options()).doesNotContain("s3cr", "pxpw", "keypw");
        for (String bad : List.of("mongodb://alice:topsecret:x@h", "mongodb://alice:top/secret@h/db",
                "mongodb://alice:top?secret@h", "mongodb://alice:top%zzsecret@h", "mongodb://alice:topsecret@h/?authMechanism=MONGODB-X509")) {
            assertThatThrownBy(() -> ConnectionString.parse(bad)).as(bad).isInstanceOf(ConfigException.class)
                    .message().doesNotContain("secret");
        }
    }

    @Test
    void plusInAPasswordStaysAPlusSign() {
        assertThat(ConnectionString.parse("mongodb://u:a+b%2Bc@h").password()).isEqualTo("a+b+c");
    }

    @Test
    void readPreferenceTagsKeepTheirOrderAndNeedAModeOtherThanPrimary() {
        ConnectionString cs = ConnectionString.parse("mongodb://h/?readPreference=nearest"
                + "&readPreferenceTags=dc:ny,rack:1&readPreferenceTags=dc:sf&readPreferenceTags=");

        assertThat(cs.options().tagSets()).containsExactly(Map.of("dc", "ny", "rack", "1"), Map.of("dc", "sf"), Map.of());
        assertThatThrownBy(() -> ConnectionString.parse("mongodb://h/?readPreferenceTags=dc:ny"))
                .hasMessageContaining("readPreferenceTags need a readPreference other than primary");
    }

    @Test
    void maxStalenessSecondsIsMinusOneOrAtLeastNinetyAndNotWithPrimary() {
        assertThat(ConnectionString.parse("mongodb://h/?maxStalenessSeconds=-1").options()
                .integer(UriOption.MAX_STALENESS_SECONDS)).isEqualTo(-1);
        assertThatThrownBy(() -> ConnectionString.parse("mongodb://h/?readPreference=secondary&maxStalenessSeconds=30"))
                .hasMessage("connection string: maxStalenessSeconds 30 (expected: -1 or >= 90)");
        assertThatThrownBy(() -> ConnectionString.parse("mongodb://h/?maxStalenessSeconds=120"))
                .hasMessageContaining("needs a readPreference other than primary");
    }

    @Test
    void tlsIsOnForSrvAndWhenAnotherTlsOptionIsGivenUnlessTurnedOff() {
        assertThat(ConnectionString.parse("mongodb+srv://cluster.example.com").tlsEnabled()).isTrue();
        assertThat(ConnectionString.parse("mongodb+srv://cluster.example.com/?tls=false").tlsEnabled()).isFalse();
        assertThat(ConnectionString.parse("mongodb://h/?tlsCAFile=ca.pem").tlsEnabled()).isTrue();
        assertThat(ConnectionString.parse("mongodb://h/?ssl=true").tlsEnabled()).isTrue();
        assertThat(ConnectionString.parse("mongodb://h").tlsEnabled()).isFalse();
        assertThatThrownBy(() -> ConnectionString.parse("mongodb://h/?tls=true&ssl=false"))
                .hasMessageContaining("'tls=true' and 'ssl=false' conflict");
    }

    @Test
    void poolSizesMustBeConsistent() {
        assertThatThrownBy(() -> ConnectionString.parse("mongodb://h/?maxPoolSize=5&minPoolSize=10"))
                .hasMessage("connection string: minPoolSize 10 is larger than maxPoolSize 5");
        assertThat(ConnectionString.parse("mongodb://h/?maxPoolSize=0&minPoolSize=10").warnings()).isEmpty();
    }

    @Test
    void theDeprecatedWtimeoutIsAppliedWithAWarningWhenAlone() {
        ConnectionString cs = ConnectionString.parse("mongodb://h/?wtimeout=7");

        assertThat(cs.options().longValue(UriOption.W_TIMEOUT_MS)).isEqualTo(7L);
        assertThat(cs.warnings()).containsExactly("Deprecated key 'wtimeout' has been replaced with 'wTimeoutMS'");
    }

    @Test
    void unixSocketsAndIpLiteralsAreHosts() {
        ConnectionString cs = ConnectionString.parse("mongodb://%2Ftmp%2Fmongodb-27017.sock,[fe80::1%25eth0]:27019/db");

        assertThat(cs.hosts()).containsExactly(new UriHost(UriHost.Type.UNIX, "/tmp/mongodb-27017.sock", null),
                new UriHost(UriHost.Type.IP_LITERAL, "fe80::1%eth0", 27019));
        assertThat(cs.database()).isEqualTo("db");
        assertThatThrownBy(() -> cs.hosts().get(0).toHostAndPort()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNameEndingInSockWithoutASlashIsAHostNameNotASocket() {
        ConnectionString cs = ConnectionString.parse("mongodb://mongodb-27017.sock,rel%2Fmongodb-27018.sock/");

        assertThat(cs.hosts()).containsExactly(new UriHost(UriHost.Type.HOSTNAME, "mongodb-27017.sock", null),
                new UriHost(UriHost.Type.UNIX, "rel/mongodb-27018.sock", null));
    }

    @Test
    void theClientBackpressureOptionsAreParsedAndRangeChecked() {
        ConnectionString cs = ConnectionString.parse(
                "mongodb://h/?maxAdaptiveRetries=0&enableOverloadRetargeting=true");

        assertThat(cs.options().integer(UriOption.MAX_ADAPTIVE_RETRIES, 2)).isZero();
        assertThat(cs.options().bool(UriOption.ENABLE_OVERLOAD_RETARGETING, false)).isTrue();
        assertThat(cs.warnings()).isEmpty();
        ConnectionString bad = ConnectionString.parse("mongodb://h/?maxAdaptiveRetries=-5&enableOverloadRetargeting=1");
        assertThat(bad.options().asMap()).isEmpty();
        assertThat(bad.warnings()).hasSize(2);
        // Sluice does not retry overload errors itself: the options belong to its clients, and the error says so
        assertThatThrownBy(() -> UpstreamUriSupport.requireSupported(cs)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("enableOverloadRetargeting, maxAdaptiveRetries are not supported")
                .hasMessageContaining("set maxAdaptiveRetries and enableOverloadRetargeting in the clients' URIs");
    }

    @Test
    void anUnknownAuthMechanismIsAnErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> ConnectionString.parse("mongodb://u:p@h/?authMechanism=MONGODB-CR"))
                .hasMessageStartingWith("connection string: authMechanism 'MONGODB-CR' is not supported (expected one of"
                        + " [SCRAM-SHA-1, SCRAM-SHA-256, PLAIN, GSSAPI, MONGODB-X509, MONGODB-AWS, MONGODB-OIDC])");
    }

    @Test
    void aMissingSpecFolderIsOneVisibleSkipSayingWhereItLooked() throws Exception {
        List<DynamicTest> tests = SpecCases.of("no-such-folder", t -> { }).toList();

        assertThat(tests).singleElement().extracting(DynamicTest::getDisplayName).asString()
                .startsWith("no-such-folder: skipped, no-such-folder spec tests not found at");
        assertThatThrownBy(() -> tests.get(0).getExecutable().execute()).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("set -Dsluice.spec.dir");
    }
}
