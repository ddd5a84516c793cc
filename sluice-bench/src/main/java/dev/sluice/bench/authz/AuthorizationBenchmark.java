package dev.sluice.bench.authz;

import dev.sluice.server.security.auth.CommandView;
import dev.sluice.server.security.authz.AuthorizationDecision;
import dev.sluice.server.security.authz.CommandAuthorizer;
import dev.sluice.server.security.authz.CommandPrivileges;
import dev.sluice.server.security.authz.RoleGraph;
import dev.sluice.server.security.authz.RoleName;
import dev.sluice.server.security.authz.Subject;
import dev.sluice.server.security.authz.UserName;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the authorization of one request costs a logged-in client with {@code --auth}: the command's requirement
 * ({@link CommandPrivileges#of}) checked against the user's privileges ({@link CommandAuthorizer}), on the request's
 * body as the session hands it over (a {@link RawBsonDocument} over the bytes it copied: {@code authorize}), and as
 * the gate reads it since 2026-12-02 ({@link CommandView}: {@code authorizeView}). The user holds
 * {@code readWrite} on the database. Run with {@code -prof gc} for the bytes per request.
 *
 * <pre>
 * java -jar sluice-bench/target/benchmarks.jar AuthorizationBenchmark -prof gc -wi 3 -i 5 -f 1 -w 2s -r 3s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class AuthorizationBenchmark {

    /** What a driver sends (lsid, $clusterTime-free), with a readWrite user on {@code shop}. */
    @Param({"find", "insert", "update", "aggregate"})
    public String command;

    private RawBsonDocument body;
    private Subject subject;

    @Setup
    public void setUp() {
        String json = switch (command) {
            case "find" -> "{find: 'orders', filter: {status: 'open'}, limit: 10, lsid: {id: {$binary: {base64: "
                    + "'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}}, $db: 'shop'}";
            case "insert" -> "{insert: 'orders', ordered: true, lsid: {id: {$binary: {base64: "
                    + "'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}}, txnNumber: {$numberLong: '3'}, $db: 'shop'}";
            case "update" -> "{update: 'orders', ordered: true, updates: [{q: {_id: 1}, u: {$set: {a: 1}}}], lsid: {id: "
                    + "{$binary: {base64: 'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}}, $db: 'shop'}";
            case "aggregate" -> "{aggregate: 'orders', pipeline: [{$match: {status: 'open'}}, {$group: {_id: '$item', n: "
                    + "{$sum: 1}}}], cursor: {}, lsid: {id: {$binary: {base64: 'AAAAAAAAAAAAAAAAAAAAAA==', subType: '04'}}},"
                    + " $db: 'shop'}";
            default -> throw new IllegalArgumentException("command: " + command
                    + " (expected: find, insert, update or aggregate)");
        };
        body = new RawBsonDocument(BsonDocument.parse(json), new BsonDocumentCodec());
        subject = Subject.of(new UserName("app", "shop"),
                RoleGraph.builtinOnly().resolve(List.of(new RoleName("readWrite", "shop"))));
        if (!(authorize() instanceof AuthorizationDecision.Allowed)) {
            throw new IllegalStateException(command + " is not allowed to readWrite: the benchmark measures nothing");
        }
    }

    @Benchmark
    public AuthorizationDecision authorize() {
        return CommandAuthorizer.authorize(CommandPrivileges.of(body, "shop"), body, "shop", Optional.of(subject));
    }

    /** As the gate does it: the body's top-level fields read once, in place ({@link CommandView}), then authorized. */
    @Benchmark
    public AuthorizationDecision authorizeView() {
        BsonDocument view = CommandView.of(body);
        return CommandAuthorizer.authorize(CommandPrivileges.of(view, "shop"), view, "shop", Optional.of(subject));
    }

    /**
     * The same, on the body decoded once into a document first: an experiment (BENCHMARKS.md, "Authorization of a
     * logged-in client's request") showing that decoding costs what the repeated scans of the raw body cost.
     */
    @Benchmark
    public AuthorizationDecision authorizeDecoded() {
        BsonDocument decoded = body.decode(new BsonDocumentCodec());
        return CommandAuthorizer.authorize(CommandPrivileges.of(decoded, "shop"), decoded, "shop", Optional.of(subject));
    }
}
