package dev.sluice.bench.proxy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Administration with many connections open (ConnectionStorm's {@code --admin}): the time of a whole
 * {@code listConnections} (first batch and every getMore), read as raw BSON (Sluice's answer; the first of them on
 * cold code) and decoded to documents by the driver, of a {@code GET /api/connections} page and of a
 * {@code /metrics} scrape, each measured {@code rounds} times; and the finds of another client meanwhile, to see
 * whether listing stalls the clients (their worst latency during the listings against before).
 */
final class AdminAtScale {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminAtScale() {
    }

    /** Appends the figures as rows of {@code md}'s table. */
    static void measure(Launch.Sluice sluice, int rounds, StringBuilder md) throws Exception {
        String uri = "mongodb://" + sluice.mongo().getHostString() + ":" + sluice.mongo().getPort()
                + "/?appName=admin-at-scale&maxPoolSize=2";
        try (MongoClient admin = MongoClients.create(uri); MongoClient other = MongoClients.create(
                MongoClientSettings.builder().applyConnectionString(new ConnectionString(uri)).build())) {
            MongoCollection<Document> items = other.getDatabase("bench").getCollection("items");
            Histogram before = finds(items, 2_000, null);
            // first as raw bytes (the time Sluice takes to answer, without the driver decoding 20,000 documents
            // into maps), the first of them on Sluice's cold listing code; then decoded, with another client's finds
            Histogram listRaw = new Histogram(3);
            long firstRaw = 0;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                listAllRaw(admin);
                long t = System.nanoTime() - t0;
                firstRaw = i == 0 ? t : firstRaw;
                listRaw.recordValue(t);
            }
            Histogram list = new Histogram(3);
            long rows = 0;
            AtomicBoolean listing = new AtomicBoolean(true);
            Histogram during = new ConcurrentHistogram(3);
            Thread probe = new Thread(() -> finds(items, Integer.MAX_VALUE, listing, during), "admin-probe");
            probe.start();
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                rows = listAll(admin);
                list.recordValue(System.nanoTime() - t0);
            }
            listing.set(false);
            probe.join();
            Histogram page = new Histogram(3);
            Histogram scrape = new Histogram(3);
            Histogram scrapesAlone = new Histogram(3);
            long firstScrape = timeGet(sluice.http() + "/metrics");
            for (int i = 0; i < rounds; i++) {
                page.recordValue(timeGet(sluice.http() + "/api/connections?limit=500&sort=-opCount"));
                scrape.recordValue(timeGet(sluice.http() + "/metrics"));
            }
            for (int i = 0; i < rounds * 3; i++) { // as Prometheus does: one scrape after another, nothing else
                scrapesAlone.recordValue(timeGet(sluice.http() + "/metrics"));
            }
            row(md, "admin: `listConnections`, every row (" + rows + ") through first batch + getMores, read as raw "
                    + "BSON: the first (cold) / p50 / max", ms(firstRaw) + " / " + ms(listRaw.getValueAtPercentile(50))
                    + " / " + ms(listRaw.getMaxValue()));
            row(md, "admin: `listConnections`, every row (" + rows + ") through first batch + getMores, decoded to "
                    + "`Document`s by the driver: p50 / max",
                    ms(list.getValueAtPercentile(50)) + " / " + ms(list.getMaxValue()));
            row(md, "admin: another client's finds before the listings: p50 / p99 / max", ms(before.getValueAtPercentile(50))
                    + " / " + ms(before.getValueAtPercentile(99)) + " / " + ms(before.getMaxValue()));
            row(md, "admin: the same client's finds during the listings: p50 / p99 / max (" + during.getTotalCount()
                    + " finds)", ms(during.getValueAtPercentile(50)) + " / " + ms(during.getValueAtPercentile(99))
                    + " / " + ms(during.getMaxValue()));
            row(md, "admin: `GET /api/connections?limit=500&sort=-opCount`: p50 / max",
                    ms(page.getValueAtPercentile(50)) + " / " + ms(page.getMaxValue()));
            row(md, "admin: `GET /metrics`, the first scrape after the storm (20 scrapes ran before it)", ms(firstScrape));
            row(md, "admin: `GET /metrics` scrape, each after a page of `/api/connections`: p50 / max",
                    ms(scrape.getValueAtPercentile(50)) + " / " + ms(scrape.getMaxValue()));
            row(md, "admin: `GET /metrics` scrape, " + scrapesAlone.getTotalCount() + " in a row: p50 / p90 / max",
                    ms(scrapesAlone.getValueAtPercentile(50)) + " / " + ms(scrapesAlone.getValueAtPercentile(90))
                            + " / " + ms(scrapesAlone.getMaxValue()));
        }
    }

    /** A few scrapes before the storm, as a Prometheus server that has been scraping since the start. */
    static void scrapeOnce(Launch.Sluice sluice) throws Exception {
        for (int i = 0; i < 20; i++) {
            timeGet(sluice.http() + "/metrics");
        }
    }

    private static Histogram finds(MongoCollection<Document> items, int count, AtomicBoolean until) {
        Histogram h = new Histogram(3);
        finds(items, count, until, h);
        return h;
    }

    private static void finds(MongoCollection<Document> items, int count, AtomicBoolean until, Histogram into) {
        for (int i = 0; i < count && (until == null || until.get()); i++) {
            long t0 = System.nanoTime();
            items.find().first();
            into.recordValue(System.nanoTime() - t0);
        }
    }

    /** Reads every row of listConnections; returns how many. */
    private static long listAll(MongoClient admin) {
        Document reply = admin.getDatabase("admin").runCommand(new Document("listConnections", 1));
        Document cursor = reply.get("cursor", Document.class);
        long rows = cursor.getList("firstBatch", Document.class).size();
        long id = cursor.get("id", Number.class).longValue();
        while (id != 0) {
            Document more = admin.getDatabase("admin").runCommand(new Document("getMore", id)
                    .append("collection", "$cmd.listConnections"));
            Document c = more.get("cursor", Document.class);
            List<Document> batch = c.getList("nextBatch", Document.class);
            rows += batch.size();
            id = c.get("id", Number.class).longValue();
        }
        return rows;
    }

    /** Reads every row of listConnections as raw BSON (the driver decodes no row); returns how many. */
    private static long listAllRaw(MongoClient admin) {
        RawBsonDocument reply = admin.getDatabase("admin").runCommand(new Document("listConnections", 1),
                RawBsonDocument.class);
        BsonDocument cursor = reply.getDocument("cursor");
        long rows = cursor.getArray("firstBatch").size();
        long id = cursor.getNumber("id").longValue();
        while (id != 0) {
            RawBsonDocument more = admin.getDatabase("admin").runCommand(new Document("getMore", id)
                    .append("collection", "$cmd.listConnections"), RawBsonDocument.class);
            BsonDocument c = more.getDocument("cursor");
            rows += c.getArray("nextBatch").size();
            id = c.getNumber("id").longValue();
        }
        return rows;
    }

    private static long timeGet(String url) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        long t = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": HTTP " + r.statusCode());
        }
        return t;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
