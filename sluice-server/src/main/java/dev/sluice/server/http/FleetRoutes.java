package dev.sluice.server.http;

import dev.sluice.server.registry.ConnectionEntry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The routes a fleet's orchestrator uses:
 * <ul>
 *   <li>{@code GET|HEAD /healthz}: 200 {@code ok} while the process serves (an event loop answered);</li>
 *   <li>{@code GET|HEAD /readyz}: 200 {@code ready}, or 503 with a one-word reason ({@code draining},
 *       {@code no-upstream}).</li>
 * </ul>
 * Both are answered before the {@link RequestGuard} and the {@link AuthGate}: no credentials, any Host or
 * Origin (a kubelet or a load balancer sends its own), plain text that reveals nothing else. They still count
 * against httpMaxConnections, as any connection does.
 * <ul>
 *   <li>{@code POST /api/drain}: starts a drain, as SIGTERM and {@code sluiceDrain} do; behind the guard
 *       (application/json) and, with authorization on, the {@code shutdown} action ({@link RouteAccess});
 *       202 {@code {"draining": true, "shutdownTimeoutMS": N}}, the drain starting once it is sent.</li>
 * </ul>
 */
final class FleetRoutes {
    static final String HEALTHZ = FleetControl.HEALTHZ;
    static final String READYZ = FleetControl.READYZ;
    static final String DRAIN = FleetControl.DRAIN;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

    private final FleetControl control;

    FleetRoutes(FleetControl control) {
        this.control = control;
    }

    /** The probe's answer, or null when {@code path} is not a probe. */
    HttpResult probe(HttpMethod method, String path) {
        if (!HEALTHZ.equals(path) && !READYZ.equals(path)) {
            return null;
        }
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            return text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed").withHeader("Allow", "GET, HEAD");
        }
        if (HEALTHZ.equals(path)) {
            return text(HttpResponseStatus.OK, "ok");
        }
        String reason = control.notReadyReason();
        return reason == null ? text(HttpResponseStatus.OK, "ready") : text(HttpResponseStatus.SERVICE_UNAVAILABLE, reason);
    }

    /** Whether {@link #handle} answers {@code path} (after the guard and the gate). */
    boolean handles(String path) {
        return DRAIN.equals(path) && control.canDrain();
    }

    HttpResult handle(HttpMethod method, ConnectionEntry caller) {
        if (!HttpMethod.POST.equals(method)) {
            return HttpResult.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " " + DRAIN
                    + " is not allowed; use POST").withHeader("Allow", "POST");
        }
        String who = "POST " + DRAIN + " from " + caller.clientAddress()
                + (caller.subject() == null ? "" : " as " + caller.subject().user());
        byte[] body = ("{\"draining\":true,\"shutdownTimeoutMS\":" + control.shutdownTimeoutMS() + "}")
                .getBytes(StandardCharsets.UTF_8);
        return HttpResult.json(HttpResponseStatus.ACCEPTED, body).afterResponse(() -> control.drain(who));
    }

    private static HttpResult text(HttpResponseStatus status, String body) {
        return new HttpResult(status, TEXT, body.getBytes(StandardCharsets.UTF_8), NO_STORE, () -> { });
    }
}
