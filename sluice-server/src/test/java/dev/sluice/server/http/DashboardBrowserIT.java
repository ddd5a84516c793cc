package dev.sluice.server.http;

import dev.sluice.server.admin.ConnectionAdmin;
import dev.sluice.server.admin.FakeConnections;
import dev.sluice.server.admin.FakePoolDirectory;
import dev.sluice.server.admin.SubjectAccessPolicy;
import dev.sluice.server.admin.Topologies;
import dev.sluice.server.config.HttpSettings;
import dev.sluice.server.metrics.HistorySampler;
import dev.sluice.server.metrics.SluiceMetrics;
import dev.sluice.server.registry.ConnectionEntry;
import dev.sluice.server.registry.ConnectionRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loads the dashboard in Debian's headless chromium: a registered connection shows up as a row and
 * its Kill button kills it once the confirmation is accepted; the page's own connection has no Kill. Until the mongodb connector exists, the connection is a registry entry
 * whose killer unregisters it, as a real connection does when closed. Skips (visibly) without
 * /usr/bin/chromium and /usr/bin/chromedriver ({@code apt-get install chromium chromium-driver}).
 * With authorization on, the user logs in on the page and gets Kill only on rows she may kill.
 */
@Tag("browser")
class DashboardBrowserIT {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

    private final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC());
    private final FakeConnections fakes = new FakeConnections(registry);
    private final FakePoolDirectory pools = new FakePoolDirectory();
    private EventLoopGroup group;
    private HttpConnector connector;
    private ChromeDriverService service;
    private ChromeDriver browser;
    private String base;

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "dashboard browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                        + " missing (apt-get install chromium chromium-driver)");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HistorySampler history = new HistorySampler(registry, pools, Clock.systemUTC());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        connector = new HttpConnector(new InetSocketAddress("127.0.0.1", 0), group, group,
                NioServerSocketChannel.class, registry, new ConnectionAdmin(registry, pools), meters,
                new SluiceMetrics(meters, registry, pools), history, HttpSettings.defaults(), Clock.systemUTC());
        base = "http://127.0.0.1:" + connector.start().getPort() + "/";
        pools.host("db1:27017", 3, 5, 1, 20, 2).topology(Topologies.replicaSet());
        history.sample();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (connector != null) {
            connector.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void killButtonKillsTheConnectionAndItsRowDisappears() throws Exception {
        ConnectionEntry app = fakes.add("mongodb", "10.9.8.7:40000");
        app.appName("billing");
        app.username("alice");
        app.driver("mongo-java-driver|sync");
        ConnectionEntry other = fakes.add("mongodb", "10.9.8.8:40001");
        other.appName("reports");
        String row = "tr[data-id='" + app.connectionId() + "']";
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);

        browser.get(base);

        // the page re-renders its table every 2 s: every read retries when an element went stale
        wait.until(d -> d.findElement(By.cssSelector(row)).getText().contains(app.connectionId())
                && d.findElement(By.cssSelector(row)).getText().contains("alice"));
        String text = wait.until(d -> d.findElement(By.cssSelector(row)).getText());
        assertThat(text).contains(app.connectionId(), "alice", "billing", "10.9.8.7:40000");
        String pool = wait.until(d -> d.findElement(By.cssSelector(".pool[data-host='db1:27017']")).getText());
        assertThat(pool).contains("3 in use", "5 available", "max 20", "wait queue 2");
        // the topology panel: each member's role, round trip, pool and last error
        String primary = wait.until(d -> d.findElement(By.cssSelector("#topology tr[data-host='db1:27017']")).getText());
        assertThat(primary).contains("primary", "1.4 ms", "3 in use / 5 available / max 20", "2 waiting");
        String secondary = wait.until(d -> d.findElement(By.cssSelector("#topology tr[data-host='db2:27017']")).getText());
        assertThat(secondary).contains("secondary", "12.6 ms");
        String down = wait.until(d -> d.findElement(By.cssSelector("#topology tr[data-host='db3:27017']")).getText());
        assertThat(down).contains("unknown", "connection refused");
        assertThat(browser.findElement(By.id("topology-type")).getText()).contains("ReplicaSetWithPrimary", "rs0");
        assertThat(browser.findElement(By.id("history")).getSize().getHeight()).isPositive();

        browser.findElement(By.id("filter")).sendKeys("billing");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#connections tbody tr"), 1));
        browser.findElement(By.id("filter")).clear();
        browser.findElement(By.id("filter")).sendKeys(" ");
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#connections tbody tr"), 2));

        // rows start sorted by id ascending; one click on the header reverses them
        wait.until(d -> {
            d.findElement(By.cssSelector("#connections th[data-key='connectionId']")).click();
            return true;
        });
        wait.until(ExpectedConditions.attributeContains(
                By.cssSelector("#connections th[data-key='connectionId']"), "class", "sorted-desc"));
        String last = wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#connections tbody tr"));
            return rows.get(rows.size() - 1).getDomAttribute("data-id");
        });
        assertThat(last).as("descending by id: oldest last").isEqualTo(app.connectionId());

        // the page's own HTTP connection is marked, and offers no Kill
        String ownRow = "#connections tbody tr[data-id^='http-']";
        wait.until(d -> d.findElements(By.cssSelector(ownRow)).stream()
                .anyMatch(r -> !r.findElements(By.cssSelector("span.own")).isEmpty()));
        wait.until(d -> d.findElements(By.cssSelector(ownRow)).stream()
                .filter(r -> !r.findElements(By.cssSelector("span.own")).isEmpty())
                .allMatch(r -> r.findElements(By.cssSelector("button.kill")).isEmpty()));

        screenshot("dashboard.png");
        // Kill asks first, naming the connection; cancelling kills nothing
        wait.until(d -> {
            d.findElement(By.cssSelector(row + " button.kill")).click();
            return true;
        });
        Alert confirm = wait.until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("Kill connection " + app.connectionId(), "billing", "alice");
        confirm.dismiss();
        assertThat(fakes.killed()).isEmpty();
        assertThat(browser.findElements(By.cssSelector(row))).hasSize(1);

        wait.until(d -> {
            d.findElement(By.cssSelector(row + " button.kill")).click();
            return true;
        });
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        await().atMost(Duration.ofSeconds(10)).until(() -> fakes.killed().contains(app.connectionId()));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(row), 0));
        assertThat(fakes.killed()).containsExactly(app.connectionId());
        assertThat(browser.findElements(By.cssSelector("tr[data-id='" + other.connectionId() + "']"))).hasSize(1);
    }

    @Test
    void withAuthorizationOnTheUserLogsInOnThePageAndGetsKillOnlyWhereSheMay() throws Exception {
        TestUsers users = new TestUsers()
                .add("monitor", "admin", "monitor-pw", "clusterMonitor")
                .add("alice", "admin", "alice-pw", "readWrite@test");
        connector.close();
        connector = new HttpConnector(new InetSocketAddress("127.0.0.1", 0), group, group,
                NioServerSocketChannel.class, registry,
                new ConnectionAdmin(registry, pools, System::nanoTime, new SubjectAccessPolicy()),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new SluiceMetrics(
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), registry, pools),
                new HistorySampler(registry, pools, Clock.systemUTC()), HttpSettings.defaults(), Clock.systemUTC(),
                HttpAccess.authenticated(users, false));
        base = "http://127.0.0.1:" + connector.start().getPort() + "/";
        ConnectionEntry hers = fakes.add("mongodb", "10.9.8.7:40000");
        hers.appName("billing");
        hers.subject(users.subjectOf("alice", "admin"));
        ConnectionEntry mine = fakes.add("mongodb", "10.9.8.9:40002");
        mine.appName("grafana");
        mine.subject(users.subjectOf("monitor", "admin"));
        String hersRow = "tr[data-id='" + hers.connectionId() + "']";
        String mineRow = "tr[data-id='" + mine.connectionId() + "']";
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);

        browser.get(base);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertThat(browser.findElements(By.id("connections"))).isEmpty();
        browser.findElement(By.id("user")).sendKeys("monitor");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("submit")).click();
        wait.until(d -> d.findElement(By.id("error")).getText().contains("Authentication failed"));
        browser.findElement(By.id("password")).sendKeys("monitor-pw");
        browser.findElement(By.id("submit")).click();

        wait.until(d -> d.findElement(By.cssSelector(hersRow)).getText().contains("alice"));
        assertThat(browser.findElement(By.id("who")).getText()).contains("monitor");
        wait.until(d -> d.findElement(By.cssSelector(mineRow)).getText().contains("grafana"));
        String pool = wait.until(d -> d.findElement(By.cssSelector(".pool[data-host='db1:27017']")).getText());
        assertThat(pool).contains("3 in use");
        wait.until(d -> d.findElement(By.cssSelector("#topology tr[data-host='db1:27017']")).getText().contains("primary"));
        // inprog shows alice's connection; without killop it offers no Kill; her own has one
        wait.until(d -> d.findElements(By.cssSelector(hersRow + " button.kill")).isEmpty()
                && !d.findElements(By.cssSelector(mineRow + " button.kill")).isEmpty());
        screenshot("dashboard-auth.png");

        // the page sends the session's CSRF token: the kill goes through
        wait.until(d -> {
            d.findElement(By.cssSelector(mineRow + " button.kill")).click();
            return true;
        });
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        await().atMost(Duration.ofSeconds(10)).until(() -> fakes.killed().contains(mine.connectionId()));
        assertThat(fakes.killed()).containsExactly(mine.connectionId());

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        browser.get(base);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    }

    /** Leaves a picture of the page in target/ for people to look at. */
    private void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Paths.get("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(browser).isInstanceOf(TakesScreenshot.class);
    }
}
