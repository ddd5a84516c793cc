package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The dashboard's session cookie {@value #NAME}: HttpOnly (page scripts cannot read it),
 * SameSite=Strict (no other site's page makes the browser send it), Path=/, and Secure when the
 * connector is HTTPS. No Max-Age: the browser forgets it when it closes; the server ends it sooner
 * ({@link Sessions}).
 */
final class SessionCookie {
    static final String NAME = "sluice_session";

    private final boolean secure;

    SessionCookie(boolean secure) {
        this.secure = secure;
    }

    /** The Set-Cookie value handing out session {@code id}. */
    String set(String id) {
        return ServerCookieEncoder.STRICT.encode(cookie(id));
    }

    /** The Set-Cookie value that makes the browser drop the cookie (logout). */
    String clear() {
        DefaultCookie cookie = cookie("");
        cookie.setMaxAge(0);
        return ServerCookieEncoder.STRICT.encode(cookie);
    }

    /** The values of every {@value #NAME} cookie the request carries (usually none or one). */
    static List<String> ids(HttpHeaders headers) {
        List<String> ids = new ArrayList<>(1);
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
                if (cookie.name().equals(NAME) && !cookie.value().isEmpty()) {
                    ids.add(cookie.value());
                }
            }
        }
        return ids;
    }

    private DefaultCookie cookie(String value) {
        DefaultCookie cookie = new DefaultCookie(NAME, value);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setPath("/");
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        return cookie;
    }
}
