package dev.sluice.server.fleet;

import dev.sluice.server.config.ConfigFile;
import dev.sluice.server.testing.SluiceHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The dashboard's fleet panel, in Debian's headless chromium: every live Sluice of the fleet, this one marked. */
class FleetDashboardBrowserIT {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

    @Test
    void theDashboardListsEveryInstanceOfTheFleet(@TempDir Path profile) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "fleet dashboard browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                        + " missing (apt-get install chromium chromium-driver)");
        ConfigFile member = ConfigFile.parse("fleet: {enabled: true, heartbeatIntervalMS: 200, instanceTimeoutMS: 1500}",
                "FleetDashboardBrowserIT");
        try (SluiceHarness cluster = SluiceHarness.embedded();
             SluiceHarness a = SluiceHarness.start(cluster.uri(), member);
             SluiceHarness b = SluiceHarness.start(cluster.uri(), member)) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + a.server().httpAddress().getPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.ignoring(StaleElementReferenceException.class);
                String self = a.server().fleet().selfId();
                String other = b.server().fleet().selfId();
                wait.until(d -> d.findElements(By.cssSelector("#fleet tbody tr")).size() == 2);
                String mine = wait.until(d -> d.findElement(By.cssSelector("#fleet tr[data-instance='" + self + "']"))
                        .getText());
                assertThat(mine).contains(self, "(this one)", "serving");
                String theirs = wait.until(d -> d.findElement(By.cssSelector("#fleet tr[data-instance='" + other + "']"))
                        .getText());
                assertThat(theirs).contains(other).doesNotContain("(this one)");
                assertThat(browser.findElement(By.id("fleet-summary")).getText()).contains("2 live");
            } finally {
                browser.quit();
                service.stop();
            }
        }
    }
}
