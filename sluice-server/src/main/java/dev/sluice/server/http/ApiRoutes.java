package dev.sluice.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.admin.ConnectionPage;
import dev.sluice.server.admin.ConnectionQuery;
import dev.sluice.server.config.HttpSettings;
import dev.sluice.server.admin.KillReport;
import dev.sluice.server.admin.KillResult;
import dev.sluice.server.metrics.HistoryPoint;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.ConnectionEntry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API and dashboard routes (paths fixed by DESIGN.md). Pure request-to-result logic: no
 * channel, no Netty pipeline, so it is the same whichever thread calls it.
 */
final class ApiRoutes {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    private static final String CONNECTIONS = "/api/connections";
    private static final String CONNECTION_PREFIX = CONNECTIONS + "/";

    private final ObjectMapper json = new ObjectMapper();
    private final ConnectionAdmin admin;
    private final PrometheusMeterRegistry meters;
    private final SluiceMetrics metrics;
    private final HistorySampler history;
    private final StaticResources resources;
    private final int maxPageSize;
    private volatile java.util.function.Supplier<dev.sluice.server.fleet.FleetAdmin> fleet = () -> null;
    /** Forged fleet requests are logged at most once per 10 s (a flood of them must not flood the log). */
    private final dev.sluice.server.client.RateLimitedLog forgedPeers =
            new dev.sluice.server.client.RateLimitedLog(log, 10_000, System::nanoTime);
    private volatile int maxAdminIds = 100_000;

    ApiRoutes(ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics, HistorySampler history,
              StaticResources resources) {
        this(admin, meters, metrics, history, resources, HttpSettings.DEFAULT_MAX_PAGE_SIZE);
    }

    /** @param maxPageSize the most rows one GET /api/connections answers (httpMaxPageSize) */
    ApiRoutes(ConnectionAdmin admin, PrometheusMeterRegistry meters, SluiceMetrics metrics, HistorySampler history,
              StaticResources resources, int maxPageSize) {
        this.maxPageSize = maxPageSize;
        this.admin = admin;
        this.meters = meters;
        this.metrics = metrics;
        this.history = history;
        this.resources = resources;
    }

    void fleet(java.util.function.Supplier<dev.sluice.server.fleet.FleetAdmin> supplier) {
        this.fleet = supplier;
    }

    void maxAdminIds(int value) {
        this.maxAdminIds = value;
    }

    /**
     * A signed request from another Sluice of the fleet ({@code POST /api/fleet/peer}): 404 without a
     * fleet, 401 (saying nothing more) when the signature is not valid. Never throws.
     */
    HttpResult peer(HttpMethod method, String signature, byte[] body) {
        dev.sluice.server.fleet.FleetAdmin f = fleet.get();
        if (f == null) {
            return error(HttpResponseStatus.NOT_FOUND, "this Sluice is in no fleet (fleet.enabled, with an upstream)");
        }
        if (!HttpMethod.POST.equals(method)) {
            return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "POST only").withHeader("Allow", "POST");
        }
        try {
            byte[] reply = f.answer(signature, body, maxAdminIds);
            if (reply == null) {
                forgedPeers.warn("[http] refused a fleet request with a missing or invalid signature");
                return error(HttpResponseStatus.UNAUTHORIZED, "invalid fleet signature");
            }
            return HttpResult.json(HttpResponseStatus.OK, reply);
        } catch (IOException | RuntimeException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "bad fleet request: " + e.getMessage());
        }
    }

    /** Answers one request; never throws. HEAD is answered as GET without the body (same headers and length). */
    HttpResult handle(HttpMethod method, String path, byte[] body, ConnectionEntry caller) {
        return handle(method, path, Map.of(), body, caller);
    }

    /** As above, with the request's query parameters. */
    HttpResult handle(HttpMethod method, String path, Map<String, List<String>> params, byte[] body,
                      ConnectionEntry caller) {
        if (HttpMethod.HEAD.equals(method)) {
            return handle(HttpMethod.GET, path, params, body, caller).withoutBody();
        }
        try {
            return route(method, path, params, body, caller);
        } catch (ApiError e) {
            HttpResult result = error(e.status(), e.getMessage());
            return e.allow() == null ? result : result.withHeader("Allow", e.allow());
        } catch (RuntimeException | IOException e) {
            log.warn("[http] {} {} failed", method, path, e);
            return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, method + " " + path + " failed: " + e);
        }
    }

    private HttpResult route(HttpMethod method, String path, Map<String, List<String>> params, byte[] body,
                             ConnectionEntry caller) throws IOException {
        switch (path) {
            case CONNECTIONS:
                requireMethod(method, path, HttpMethod.GET);
                return connections(params, caller);
            case CONNECTIONS + "/kill":
                requireMethod(method, path, HttpMethod.POST);
                return kill(stringArray(body, "ids"), caller);
            case "/api/dropConnections":
                requireMethod(method, path, HttpMethod.POST);
                return drop(body);
            case "/api/pools":
                requireMethod(method, path, HttpMethod.GET);
                return ok(json.valueToTree(admin.pools()));
            case "/api/topology":
                requireMethod(method, path, HttpMethod.GET);
                return ok(json.valueToTree(admin.topology()));
            case "/api/history":
                requireMethod(method, path, HttpMethod.GET);
                return ok(history());
            case "/api/fleet":
                requireMethod(method, path, HttpMethod.GET);
                dev.sluice.server.fleet.FleetAdmin f = fleet.get();
                if (f == null) {
                    return error(HttpResponseStatus.NOT_FOUND, "this Sluice is in no fleet (fleet.enabled, with an upstream)");
                }
                return ok(f.instances());
            case "/metrics":
                requireMethod(method, path, HttpMethod.GET);
                return HttpResult.text(HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.refreshed(meters::scrape));
            default:
                break;
        }
        if (path.startsWith(CONNECTION_PREFIX) && path.length() > CONNECTION_PREFIX.length()
                && path.indexOf('/', CONNECTION_PREFIX.length()) < 0) {
            requireMethod(method, path, HttpMethod.DELETE);
            return deleteOne(path.substring(CONNECTION_PREFIX.length()), caller);
        }
        StaticResources.Resource resource = resources.find(path);
        if (resource != null) {
            requireMethod(method, path, HttpMethod.GET);
            return new HttpResult(HttpResponseStatus.OK, resource.contentType(), resource.body(),
                    java.util.Map.of("Cache-Control", "no-cache"), () -> { });
        }
        return error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path
                + " (see GET /api/connections, /api/pools, /api/topology, /api/history, /metrics, /)");
    }

    /**
     * A page of connections: the body stays the array of rows it always was; the paging is in headers
     * ({@code X-Total-Count}, {@code X-Next-Offset}, {@code X-Next-Cursor}, {@code Link: <...>; rel="next"}).
     */
    private HttpResult connections(Map<String, List<String>> params, ConnectionEntry caller) throws IOException {
        ConnectionQuery query = ConnectionListParams.parse(params, maxPageSize);
        ConnectionPage page = admin.page(caller, query);
        HttpResult result = HttpResult.json(HttpResponseStatus.OK, json.writeValueAsBytes(page.rows()))
                .withHeader("X-Total-Count", Integer.toString(page.total()));
        if (page.nextOffset() >= 0) {
            Map<String, List<String>> next = new java.util.TreeMap<>(params);
            next.put("limit", List.of(Integer.toString(query.limit())));
            if (page.nextCursor() != null) {
                next.remove("offset");
                next.put("cursor", List.of(page.nextCursor()));
                result = result.withHeader("X-Next-Cursor", page.nextCursor());
            } else {
                next.put("offset", List.of(Integer.toString(page.nextOffset())));
            }
            result = result.withHeader("X-Next-Offset", Integer.toString(page.nextOffset()))
                    .withHeader("Link", "<" + CONNECTIONS + query(next) + ">; rel=\"next\"");
        }
        return result;
    }

    private static String query(Map<String, List<String>> params) {
        io.netty.handler.codec.http.QueryStringEncoder encoder = new io.netty.handler.codec.http.QueryStringEncoder("");
        params.forEach((name, values) -> values.forEach(v -> encoder.addParam(name, v)));
        return encoder.toString();
    }

    private HttpResult kill(List<String> ids, ConnectionEntry caller) {
        KillReport report = admin.kill(ids, caller);
        ObjectNode reply = json.createObjectNode();
        reply.set("results", json.valueToTree(report.results()));
        return ok(reply).afterResponse(report.afterReply());
    }

    private HttpResult deleteOne(String id, ConnectionEntry caller) throws JsonProcessingException {
        KillReport report = admin.kill(List.of(id), caller);
        KillResult result = report.results().get(0);
        HttpResponseStatus status = result.wasFound() ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND;
        return HttpResult.json(status, json.writeValueAsBytes(result)).afterResponse(report.afterReply());
    }

    private HttpResult drop(byte[] body) {
        JsonNode request = object(body);
        JsonNode hosts = request.get("hostAndPort");
        if (hosts == null || hosts.isNull()) {
            throw ApiError.badRequest("field 'hostAndPort' is required: an array of \"host:port\" strings");
        }
        if (!hosts.isArray()) {
            throw ApiError.badRequest("field 'hostAndPort' must be an array of \"host:port\" strings, found "
                    + hosts.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> list = new ArrayList<>();
        for (JsonNode host : hosts) {
            if (host.isTextual()) {
                list.add(host.asText());
            }
        }
        JsonNode comment = request.get("comment");
        admin.drop(list, comment == null ? null : comment.toString());
        return ok(json.createObjectNode().put("ok", 1));
    }

    private ObjectNode history() {
        ObjectNode reply = json.createObjectNode();
        reply.put("windowSeconds", history.window().toSeconds());
        reply.put("resolutionSeconds", history.resolution().toSeconds());
        ArrayNode points = reply.putArray("points");
        for (HistoryPoint point : history.points()) {
            points.addObject()
                    .put("time", point.time().toEpochMilli())
                    .put("clients", point.clientConnections())
                    .put("backendInUse", point.backendInUse())
                    .put("backendAvailable", point.backendAvailable());
        }
        return reply;
    }

    private List<String> stringArray(byte[] body, String field) {
        JsonNode value = object(body).get(field);
        if (value == null || value.isNull()) {
            throw ApiError.badRequest("field '" + field + "' is required: an array of connection ids");
        }
        if (!value.isArray()) {
            throw ApiError.badRequest("field '" + field + "' must be an array of connection ids, found "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> ids = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw ApiError.badRequest("field '" + field + "[" + i + "]' must be a string connection id like "
                        + "\"mongodb-21\", found " + value.get(i));
            }
            ids.add(value.get(i).asText());
        }
        return ids;
    }

    private JsonNode object(byte[] body) {
        if (body.length == 0) {
            throw ApiError.badRequest("request body is empty; expected a JSON object");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiError.badRequest("request body is not valid JSON: " + e.getOriginalMessage() + where);
        } catch (IOException e) {
            throw ApiError.badRequest("request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("request body must be a JSON object, found "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }

    private static void requireMethod(HttpMethod actual, String path, HttpMethod allowed) {
        if (!actual.equals(allowed)) {
            throw ApiError.methodNotAllowed(actual, path, allowed);
        }
    }

    private HttpResult ok(JsonNode node) {
        try {
            return HttpResult.json(HttpResponseStatus.OK, json.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResult error(HttpResponseStatus status, String message) {
        return HttpResult.error(status, message);
    }
}
