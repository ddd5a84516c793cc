package dev.sluice.server.fleet;

import org.bson.BsonDocument;

import java.util.concurrent.CompletionStage;

/** Runs one command in the upstream cluster (Sluice's InternalCommands, or a fake in tests). */
@FunctionalInterface
public interface ClusterCommands {
    CompletionStage<BsonDocument> run(String database, BsonDocument command);
}
