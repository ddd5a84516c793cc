package dev.sluice.server.topology.srv;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The parent-domain rule of the Initial DNS Seedlist Discovery spec, with the cases of its prose tests 1-4. */
class SrvDomainTest {

    @Test
    void aNameOfThreeOrMoreLabelsAcceptsHostsOfItsParentDomain() {
        SrvDomain d = SrvDomain.of("blogs.mongodb.com");
        assertThat(d.domainName()).isEqualTo("mongodb.com");
        assertThat(d.accepts("cluster.mongodb.com")).isTrue();
        assertThat(d.accepts("a.b.mongodb.com")).isTrue();
        assertThat(d.accepts("blogs.mongodb.com")).as("identical to a 3-label SRV name is allowed").isTrue();
        assertThat(SrvDomain.of("test.build.example.cc").accepts("test.build.example.cc")).isTrue();
    }

    @Test
    void aHostOutsideTheParentDomainIsRefused() {
        assertThat(SrvDomain.of("blogs.mongodb.com").accepts("blogs.evil.com")).isFalse();
        assertThat(SrvDomain.of("mongo.local").accepts("test_1.evil.local")).isFalse();
        assertThat(SrvDomain.of("localhost").accepts("localhost.mongodb")).isFalse();
        assertThat(SrvDomain.of("test1.test.build.example.cc").accepts("localhost.build.example.cc")).isFalse();
        assertThat(SrvDomain.of("test1.test.build.example.cc").accepts("localhost.test.build.example.not-cc"))
                .isFalse();
    }

    @Test
    void aShortNameNeedsHostsOneLevelBelowIt() {
        assertThat(SrvDomain.of("localhost").accepts("localhost")).isFalse();
        assertThat(SrvDomain.of("mongo.local").accepts("mongo.local")).isFalse();
        assertThat(SrvDomain.of("localhost").accepts("test_1.localhost")).isTrue();
        assertThat(SrvDomain.of("mongo.local").accepts("db1.mongo.local")).isTrue();
        assertThat(SrvDomain.of("mongo.local").refusal("mongo.local")).contains("fewer than 3 labels");
    }

    @Test
    void theSharedPartMustStartAtALabel() {
        assertThat(SrvDomain.of("localhost").accepts("test_1.cluster_1localhost")).isFalse();
        assertThat(SrvDomain.of("mongo.local").accepts("test_1.my_hostmongo.local")).isFalse();
        assertThat(SrvDomain.of("blogs.mongodb.com").accepts("cluster.testmongodb.com")).isFalse();
    }
}
