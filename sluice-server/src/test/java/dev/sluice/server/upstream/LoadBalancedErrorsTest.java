package dev.sluice.server.upstream;

import dev.sluice.server.topology.ApplicationError;
import dev.sluice.server.topology.ErrorPhase;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancedErrorsTest {
    private static ApplicationError reply(String json) {
        return ApplicationError.command(ErrorPhase.AFTER_HANDSHAKE, 0, BsonDocument.parse(json));
    }

    @Test
    void networkErrorsAndShutdownRepliesClearTheServiceTimeoutsAndOtherRepliesDoNot() {
        assertThat(LoadBalancedStart.clearsService(ApplicationError.network(ErrorPhase.AFTER_HANDSHAKE, 0, "reset")))
                .isTrue();
        assertThat(LoadBalancedStart.clearsService(ApplicationError.network(ErrorPhase.BEFORE_HANDSHAKE, 0, "refused")))
                .isFalse();
        assertThat(LoadBalancedStart.clearsService(ApplicationError.timeout(ErrorPhase.AFTER_HANDSHAKE, 0, "slow")))
                .isFalse();
        assertThat(LoadBalancedStart.clearsService(reply("{ok: 0, code: 91, errmsg: 'shutting down'}"))).isTrue();
        assertThat(LoadBalancedStart.clearsService(reply("{ok: 0, code: 10107, errmsg: 'not primary'}"))).isFalse();
        assertThat(LoadBalancedStart.clearsService(reply("{ok: 0, code: 2, errmsg: 'bad value'}"))).isFalse();
    }
}
