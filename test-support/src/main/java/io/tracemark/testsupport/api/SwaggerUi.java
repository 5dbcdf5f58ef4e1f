package io.tracemark.testsupport.api;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A service's Swagger UI ({@code /q/swagger-ui}) in the system's headless Chromium, driven as a person would:
 * Authorize with a bearer key, expand an operation, Try it out, Execute, read the status. Screenshots land in
 * {@code target/browser-screenshots/}.
 */
public final class SwaggerUi implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");
    private static final Pattern STATUS = Pattern.compile("^\\s*(\\d{3})");

    private final WebDriver driver;
    private final Path profile;
    private final String page;
    private final WebDriverWait wait;

    private SwaggerUi(WebDriver driver, Path profile, String page) {
        this.driver = driver;
        this.profile = profile;
        this.page = page;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** Starts Chromium on the Swagger UI of the service at {@code base}. */
    public static SwaggerUi open(URL base) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("headless Chromium is required for the Swagger UI tests: install it with "
                    + "`apt-get update && apt-get install -y chromium chromium-driver` (./tracemark test-tools does)");
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Path profile = Files.createTempDirectory("swagger-ui-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=1280,2000");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            SwaggerUi ui = new SwaggerUi(new ChromeDriver(service, options), profile,
                    base.toString().replaceAll("/$", "") + "/q/swagger-ui/");
            ui.reload();
            return ui;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the page afresh (forgetting any authorization) and waits for the operations to render. */
    public SwaggerUi reload() {
        driver.get(page);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock")));
        return this;
    }

    /** Clicks Authorize, enters {@code key} as the bearer value, confirms and closes the dialog. */
    public SwaggerUi authorize(String key) {
        driver.findElement(By.cssSelector(".scheme-container button.authorize")).click();
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux .auth-container input")));
        input.sendKeys(key);
        driver.findElement(By.cssSelector(".modal-ux .auth-btn-wrapper button.authorize")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux button.btn-done"))).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-ux")));
        return this;
    }

    /**
     * Expands operation {@code operationId} (under {@code tag}), clicks Try it out, fills {@code parameters} by
     * name, executes it and returns the HTTP status the page shows. A request body keeps its documented example.
     */
    public int tryItOut(String tag, String operationId, Map<String, String> parameters) {
        WebElement op = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.id("operations-" + tag + "-" + operationId)));
        op.findElement(By.cssSelector(".opblock-summary")).click();
        clickable(op, "button.try-out__btn").click();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            WebElement input = within(op, "tr[data-param-name='" + p.getKey() + "'] input");
            input.clear();
            input.sendKeys(p.getValue());
        }
        clickable(op, "button.execute").click();
        WebElement status = wait.until(d -> {
            var found = op.findElements(By.cssSelector(".live-responses-table tr.response .response-col_status"));
            return found.isEmpty() || found.get(0).getText().isBlank() ? null : found.get(0);
        });
        Matcher m = STATUS.matcher(status.getText());
        if (!m.find()) {
            fail("Swagger UI showed no status for " + operationId + ": " + status.getText());
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * The first element matching {@code css} inside {@code parent}, once it has rendered: Swagger UI draws an
     * operation's body (Try it out, parameters, Execute) a moment after the click that expands it.
     */
    private WebElement within(WebElement parent, String css) {
        return wait.until(d -> parent.findElements(By.cssSelector(css)).stream().findFirst().orElse(null));
    }

    /** {@link #within}, once it can also be clicked. */
    private WebElement clickable(WebElement parent, String css) {
        return wait.until(ExpectedConditions.elementToBeClickable(within(parent, css)));
    }

    /** The response body the page shows for the last execution of {@code operationId}. */
    public String responseBody(String tag, String operationId) {
        return driver.findElement(By.id("operations-" + tag + "-" + operationId))
                .findElement(By.cssSelector(".live-responses-table tr.response .response-col_description pre")).getText();
    }

    /** Saves a screenshot as {@code target/browser-screenshots/<name>}. */
    public void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
