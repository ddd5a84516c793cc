package dev.sluice.server.proxy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.config.SluiceConfig;
import dev.sluice.server.testing.FakeMongod;
import dev.sluice.server.testing.SluiceHarness;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** reloadConfig (and SIGHUP, which runs the same): what may change at runtime does, the rest is refused by name. */
class ConfigReloadIT {

    @Test
    void poolSizeAndConnectionLimitChangeWithoutARestartAndOtherChangesAreRefusedByName(@TempDir Path dir)
            throws Exception {
        try (FakeMongod backend = FakeMongod.start()) {
            Path file = dir.resolve("sluice.yaml");
            Files.writeString(file, "upstream: " + backend.uri() + "?maxPoolSize=10\nmaxIncomingConnections: 100\n");
            try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.read(file))) {
                sluice.server().configSource(() -> SluiceConfig.merge(ConfigFile.read(file), "127.0.0.1:0",
                        "127.0.0.1:0", null));
                try (MongoClient client = MongoClients.create(sluice.uri("appName=operator"))) {
                    client.getDatabase("test").runCommand(new Document("count", "c"));
                    assertThat(sluice.server().cluster().statistics().get(0).maxPoolSize()).isEqualTo(10);

                    Files.writeString(file, "upstream: " + backend.uri() + "?maxPoolSize=3\nmaxIncomingConnections: 50\n");
                    Document reply = client.getDatabase("admin").runCommand(new Document("reloadConfig", 1));
                    assertThat(reply.getList("changed", String.class))
                            .containsExactly("maxPoolSize=3", "maxIncomingConnections=50");
                    assertThat(sluice.server().cluster().statistics().get(0).maxPoolSize()).isEqualTo(3);
                    client.getDatabase("test").runCommand(new Document("count", "c"));

                    Files.writeString(file, "upstream: " + backend.uri() + "?maxPoolSize=5\nmaxIncomingConnections: 50\n"
                            + "compressors: [zstd]\nloginTimeoutMS: 5000\n");
                    MongoCommandException refused = catchThrowableOfType(() -> client.getDatabase("admin")
                            .runCommand(new Document("reloadConfig", 1)), MongoCommandException.class);
                    assertThat(refused.getErrorCode()).isEqualTo(2);
                    assertThat(refused.getErrorMessage()).contains("nothing applied", "compressors",
                            "limits.loginTimeoutMS", "restart Sluice");
                    assertThat(sluice.server().cluster().statistics().get(0).maxPoolSize()).isEqualTo(3);

                    Files.writeString(file, "upstream: " + backend.uri() + "?maxPoolSize=5\nnoSuchKey: 1\n");
                    MongoCommandException invalid = catchThrowableOfType(() -> client.getDatabase("admin")
                            .runCommand(new Document("reloadConfig", 1)), MongoCommandException.class);
                    assertThat(invalid.getErrorMessage()).contains("noSuchKey");

                    Files.writeString(file, "upstream: " + backend.uri() + "?maxPoolSize=3\nmaxIncomingConnections: 50\n");
                    Document same = client.getDatabase("admin").runCommand(new Document("reloadConfig", 1));
                    assertThat(same.getList("changed", String.class)).isEmpty();
                }
            }
        }
    }

    @Test
    void withoutAConfigurationFileThereIsNothingToReload() throws Exception {
        try (SluiceHarness sluice = SluiceHarness.embedded();
             MongoClient client = MongoClients.create(sluice.uri())) {
            MongoCommandException refused = catchThrowableOfType(() -> client.getDatabase("admin")
                    .runCommand(new Document("reloadConfig", 1)), MongoCommandException.class);
            assertThat(refused.getErrorMessage()).contains("started without --config");
        }
    }

    @Test
    void aUserWithoutTheSetParameterActionIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "security: {authorization: enabled}\n");
        try (SluiceHarness sluice = SluiceHarness.start(null, ConfigFile.read(file))) {
            sluice.server().configSource(() -> SluiceConfig.merge(ConfigFile.read(file), "127.0.0.1:0", "127.0.0.1:0",
                    null));
            try (MongoClient anonymous = MongoClients.create(sluice.uri())) {
                // the localhost exception: the first user
                anonymous.getDatabase("admin").runCommand(new Document("createUser", "root").append("pwd", "rootpw")
                        .append("roles", java.util.List.of(new Document("role", "root").append("db", "admin"))));
            }
            String base = sluice.uri("authSource=admin");
            try (MongoClient root = MongoClients.create(base.replace("mongodb://", "mongodb://root:rootpw@"))) {
                root.getDatabase("admin").runCommand(Document.parse(
                        "{createUser: 'watcher', pwd: 'watcherpw', roles: ['clusterMonitor']}"));
                Document reply = root.getDatabase("admin").runCommand(new Document("reloadConfig", 1));
                assertThat(reply.getList("changed", String.class)).isEmpty();
            }
            try (MongoClient watcher = MongoClients.create(base.replace("mongodb://", "mongodb://watcher:watcherpw@"))) {
                MongoCommandException refused = catchThrowableOfType(() -> watcher.getDatabase("admin")
                        .runCommand(new Document("reloadConfig", 1)), MongoCommandException.class);
                assertThat(refused.getErrorCode()).isEqualTo(13);
            }
        }
    }
}
