package dev.sluice.server.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionCookieTest {
    @Test
    void theCookieIsHttpOnlySameSiteStrictForTheWholeSiteAndSecureOnlyOnHttps() {
        String plain = new SessionCookie(false).set("abc");
        assertThat(plain).startsWith("sluice_session=abc").contains("; HTTPOnly", "; SameSite=Strict", "; Path=/")
                .doesNotContain("Secure").doesNotContain("Max-Age");
        assertThat(new SessionCookie(true).set("abc")).contains("; Secure", "; HTTPOnly", "; SameSite=Strict");
        assertThat(new SessionCookie(false).clear()).startsWith("sluice_session=;").contains("Max-Age=0");
    }

    @Test
    void readsOurCookieAmongOthers() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Cookie", "theme=dark; sluice_session=id1")
                .add("Cookie", "sluice_session=; other=1");
        assertThat(SessionCookie.ids(headers)).containsExactly("id1");
        assertThat(SessionCookie.ids(new DefaultHttpHeaders())).isEmpty();
    }
}
