package io.tracemark.verify;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.cli.VerifyCli;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.Images;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pages in the system's headless Chromium: the batch page and the check-a-file page verify a real
 * anchored record with the browser's own RFC 9162, Ed25519 (Web Crypto) and RFC 3161 code, and the batch page works
 * with JavaScript off. Screenshots land in {@code target/browser-screenshots/}; the batch page's are checked for the
 * verified badge.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class BrowserPagesTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");
    static final String GTIN = "04006381333931";

    @TestHTTPResource("/")
    URL base;
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    Registry registry;
    WebDriver driver;
    Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("headless Chromium is required for the page tests: install it with "
                    + "`apt-get update && apt-get install -y chromium chromium-driver` (CI's .ci/run does)");
        }
        registry = new Registry(mongo, database, LoopbackChainNode.shared());
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("verify-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void batchPageVerifiesEachAnchoredStepInTheBrowserAndShowsTheVerifiedRecordsFacts() throws IOException {
        Registry.Stored batch = batch("WEB-1");
        // The store's index fields say "shipping"; the canonical record the proof covers says "commissioning".
        Registry.Stored event = registry.register("acme", "epcis.event", Map.of("type", "ObjectEvent",
                        "eventTime", "2026-11-01T09:00:00Z", "bizStep", "https://ref.gs1.org/cbv/BizStep-commissioning"),
                new Document("gtin", GTIN).append("lot", "WEB-1").append("eventTime", "2026-11-01T09:00:00Z")
                        .append("bizStep", "https://ref.gs1.org/cbv/BizStep-shipping"), Instant.now());
        registry.anchor(event, Instant.now());
        driver.get(url("/01/" + GTIN + "/10/WEB-1"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        for (String id : List.of(event.id(), batch.id())) {
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-step='" + id + "']"),
                    "Proof verified"));
        }
        String badge = driver.findElement(By.cssSelector("[data-step='" + batch.id() + "'] .proof")).getText();
        assertTrue(badge.matches("Proof verified time-stamped \\S+Z · 2 of 2 replica keys signed details"), badge);
        assertEquals("Oat drink 1 l · lot WEB-1", driver.findElement(By.id("title")).getText());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("productFacts"),
                "the verified record " + batch.id()));
        assertTrue(driver.findElement(By.id("productFacts")).getText().contains("2026-11-01"));
        String timeline = driver.findElement(By.id("events")).getText();
        assertTrue(timeline.contains("BizStep-commissioning · ObjectEvent · 2026-11-01T09:00:00Z") && !timeline.contains("shipping")
                && timeline.contains("from the verified record"), timeline);
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("return document.getElementById('qr').naturalWidth > 0"));
        assertBadgeLooksVerified("batch-page.png", batch.id());
        driver.manage().window().setSize(new Dimension(390, 844));
        assertBadgeLooksVerified("batch-page-phone.png", batch.id());
    }

    @Test
    void withoutJavaScriptTheBatchPageShowsFactsDatesRegistrantAndTimeline() throws IOException {
        Registry.Stored batch = batch("WEB-NOJS");
        Registry.Stored event = registry.register("acme", "epcis.event", Map.of("type", "ObjectEvent"),
                new Document("gtin", GTIN).append("lot", "WEB-NOJS").append("eventTime", "2026-11-02T07:30:00Z")
                        .append("eventType", "ObjectEvent").append("bizStep", "https://ref.gs1.org/cbv/BizStep-shipping"),
                Instant.now());
        registry.anchor(event, Instant.now());
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        driver.get(url("/01/" + GTIN + "/10/WEB-NOJS"));
        assertEquals("Oat drink 1 l · lot WEB-NOJS", driver.findElement(By.id("title")).getText());
        WebElement facts = driver.findElement(By.id("productFacts"));
        assertTrue(facts.isDisplayed());
        String shown = facts.getText();
        for (String fact : List.of("Quantity 1200 H87", "Produced 2026-11-01", "Best before 2027-05-01", "Registered by acme")) {
            assertTrue(shown.contains(fact), fact + " in " + shown);
        }
        String timeline = driver.findElement(By.id("events")).getText();
        assertTrue(timeline.contains("BizStep-shipping · ObjectEvent · 2026-11-02T07:30:00Z · registered by acme"), timeline);
        assertTrue(driver.findElement(By.cssSelector("[data-step='" + event.id() + "']")).isDisplayed());
        // No script ran: nothing was verified in this browser, the server's page is what is shown.
        assertTrue(driver.findElements(By.cssSelector("[data-proof]")).isEmpty());
        assertTrue(shown.contains("Registered by acme") && !shown.contains("Proof verified"), shown);
        screenshot("batch-page-no-javascript.png");
    }

    @Test
    void theBrowsersReceiptCheckTimesTheCheckpointByTheLogsTokenAndRefusesATokenOfAnUntrustedTsa() {
        Registry.Stored r = batch("WEB-TS");
        driver.get(url("/01/" + GTIN + "/10/WEB-TS"));
        String script = "const done = arguments[arguments.length - 1];"
                + "import('/assets/tlog.js').then(async t => {"
                + " const receipt = await (await fetch('/v1/receipts/' + arguments[0])).json();"
                + " const keys = await (await fetch('/v1/keys')).json();"
                + " const tsa = arguments[1] ? t.tsaCertificatesOf(keys) : [];"
                + " const checks = await t.verifyReceipt(receipt, keys.verifierKeys, keys.verifierKeys.length, keys.origin, [], 0, false, tsa);"
                + " const c = checks.find(c => c.code === 'timestamp.token.valid');"
                + " done(JSON.stringify({ok: c.ok, detail: c.detail, genTime: c.genTime || null}));"
                + "}).catch(e => done('error ' + e));";
        String trusted = (String) ((JavascriptExecutor) driver).executeAsyncScript(script, r.id(), true);
        assertTrue(trusted.matches("\\{\"ok\":true,\"detail\":\"the checkpoint was time-stamped at \\S+Z by trusted TSA '[^']+'\","
                + "\"genTime\":\"\\S+Z\"}"), trusted);
        String untrusted = (String) ((JavascriptExecutor) driver).executeAsyncScript(script, r.id(), false);
        assertTrue(untrusted.startsWith("{\"ok\":false,\"detail\":\"timestamp.signer.untrusted: "), untrusted);
    }

    /** A product batch with public facts, anchored. */
    private Registry.Stored batch(String lot) {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", lot, "quantity", 1200,
                "unit", "H87", "description", "Oat drink 1 l", "productionDate", "2026-11-01", "expiryDate", "2027-05-01"),
                new Document("gtin", GTIN).append("lot", lot), Instant.now());
        registry.anchor(r, Instant.now());
        return r;
    }

    /**
     * The screenshot shows the step's badge in the verified style (filled with the page's --ok green, #1e6b2e),
     * not the outlined one of a step the browser has not verified.
     */
    private void assertBadgeLooksVerified(String screenshot, String stepId) throws IOException {
        WebElement badge = driver.findElement(By.cssSelector("[data-step='" + stepId + "'] .badge"));
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("arguments[0].scrollIntoView({block: 'center'})", badge);
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(screenshot(screenshot)));
        double scale = ((Number) js.executeScript("return window.devicePixelRatio")).doubleValue();
        // Where the badge is in the viewport, which is what the screenshot shows.
        @SuppressWarnings("unchecked")
        Map<String, Number> box = (Map<String, Number>) js.executeScript("const b = arguments[0].getBoundingClientRect();"
                + " return {x: b.x, y: b.y, w: b.width, h: b.height};", badge);
        Rectangle r = new Rectangle(box.get("x").intValue(), box.get("y").intValue(), box.get("h").intValue(), box.get("w").intValue());
        int green = 0;
        int all = 0;
        // The pill's padding above and below the text, inside its border and rounded ends: the badge's fill alone,
        // which is the page's white in the outlined style and --ok green only in the verified one.
        for (int y = (int) ((r.y + 2) * scale); y < (int) ((r.y + r.height - 2) * scale); y++) {
            double inPill = (y / scale - r.y) / r.height;
            if (inPill > 0.2 && inPill < 0.85) {
                continue;
            }
            for (int x = (int) ((r.x + r.height * 0.5) * scale); x < (int) ((r.x + r.width - r.height * 0.5) * scale); x++) {
                int rgb = shot.getRGB(Math.min(x, shot.getWidth() - 1), Math.min(y, shot.getHeight() - 1));
                all++;
                if (Math.abs((rgb >> 16 & 0xff) - 0x1e) < 24 && Math.abs((rgb >> 8 & 0xff) - 0x6b) < 24 && Math.abs((rgb & 0xff) - 0x2e) < 24) {
                    green++;
                }
            }
        }
        assertTrue(all > 0 && green > all * 3 / 4, "badge '" + badge.getText() + "' at " + r.getPoint() + " is " + green + " of " + all
                + " pixels verified green");
    }

    @Test
    void checkAFilePageFindsTheRegistrationAndTheReceiptPageVerifiesIt() throws IOException {
        byte[] png = Images.png(Images.scene(777));
        String sha = HexFormat.of().formatHex(RecordDigest.sha256(png));
        long ph = PerceptualHash.of(Images.decode(png));
        Registry.Stored work = registry.register("alice", "media.work", Map.of("sha256", sha, "title", "Dawn"),
                new Document("sha256", sha).append("phash", PerceptualHash.hex(ph)).append("phashChunks", Registry.phashChunks(ph)),
                Instant.now());
        registry.anchor(work, Instant.now());
        Path file = Files.createTempFile("dawn-", ".png");
        Files.write(file, png);
        try {
            driver.get(url("/check.html"));
            WebElement input = driver.findElement(By.id("file"));
            input.sendKeys(file.toAbsolutePath().toString());
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "registered 1 time"));
            assertEquals(sha, driver.findElement(By.id("sha256")).getText());
            assertTrue(driver.findElement(By.id("exact")).getText().contains("alice"));
            screenshot("check-a-file.png");

            driver.findElement(By.id("near")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("nearResults"), "Priority: alice"));
            screenshot("check-a-file-near.png");

            driver.findElement(By.linkText("Verify receipt")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "Verified"));
            List<WebElement> signers = driver.findElements(By.cssSelector("#signers li[data-status='valid']"));
            assertEquals(2, signers.size(), driver.findElement(By.id("signers")).getText());
            assertEquals("2 of 2 replica keys signed the checkpoint (2 required).", driver.findElement(By.id("signed")).getText());
            assertEquals(List.of("receipt.format.valid", "record.digest.match", "record.fields.match", "leaf.index.match",
                    "checkpoint.signature.valid", "inclusion.proof.valid", "block.header.valid", "timestamp.token.valid"),
                    driver.findElements(By.cssSelector("#checks li[data-result='pass']")).stream()
                            .map(e -> e.getAttribute("data-code")).toList());
            screenshot("receipt-page.png");
            assertDownloadVerifiesOffline();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void receiptPageRejectsATamperedRecordInTheBrowser() throws IOException {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "WEB-T"), new Document(), Instant.now());
        registry.anchor(r, Instant.now());
        // Corrupt the stored copy so the served receipt's canonical no longer hashes to its digest.
        mongo.getDatabase(database).getCollection("records").updateOne(new Document("_id", r.id()),
                new Document("$set", new Document("canonical", r.canonical().replace("WEB-T", "WEB-X"))));
        driver.get(url("/receipt.html?id=" + r.id()));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "Not verified"));
        assertTrue(driver.findElement(By.cssSelector("#checks li[data-code='record.digest.match']")).getText().contains("fail"));
        screenshot("receipt-page-tampered.png");
    }

    @Test
    void receiptPageChecksAnIndependentAuthoritysTokenInTheBrowserAndNamesEveryAuthority() throws Exception {
        try (io.tracemark.testsupport.tsa.OpensslTsa tsa = io.tracemark.testsupport.tsa.OpensslTsa.start("Independent Test TSA")) {
            LoopbackChainNode.shared().useAuthority(tsa);
            Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "WEB-TSA"), new Document(),
                    Instant.now());
            registry.anchor(r, Instant.now());
            driver.get(url("/receipt.html?id=" + r.id()));
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "Verified"));
            WebElement check = driver.findElement(By.cssSelector("#checks li[data-code='timestamp.authorities.valid']"));
            assertEquals("pass", check.getAttribute("data-result"), check.getText());
            assertTrue(check.getText().matches("(?s).*1 external authority time-stamped the checkpoint: independent at \\S+Z "
                    + "\\('CN=Independent Test TSA'\\); no token from down-tsa"), check.getText());
            WebElement independent = driver.findElement(By.cssSelector("#authorities li[data-authority='independent']"));
            assertEquals("valid", independent.getAttribute("data-status"));
            assertTrue(independent.getText().contains("(CN=Independent Test TSA)"), independent.getText());
            assertEquals("missing", driver.findElement(By.cssSelector("#authorities li[data-authority='down-tsa']"))
                    .getAttribute("data-status"));
            screenshot("receipt-page-authorities.png");
            assertDownloadVerifiesOffline();
        } finally {
            LoopbackChainNode.shared().useAuthority(null);
        }
    }

    @Test
    void browserCheckAppliesTheWitnessPolicyWithTheOfflineVerifiersRulesAndThePageSaysWhoWitnessed() throws IOException {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "WITNESSED"), new Document(), Instant.now());
        registry.anchor(r, Instant.now());
        LoopbackChainNode chain = LoopbackChainNode.shared();
        io.tracemark.proofs.cosignature.Ed25519CosignatureSigner w1 = io.tracemark.proofs.cosignature.Ed25519CosignatureSigner
                .generate("witness.example/w1", new java.security.SecureRandom(), () -> Instant.now().getEpochSecond());
        io.tracemark.proofs.cosignature.Ed25519CosignatureSigner w2 = io.tracemark.proofs.cosignature.Ed25519CosignatureSigner
                .generate("witness.example/w2", new java.security.SecureRandom(), () -> Instant.now().getEpochSecond());
        synchronized (chain) {
            chain.append("6f".repeat(32));
            chain.seal();
            chain.cosignLatest(w1);
        }
        driver.get(url("/receipt.html?id=" + r.id()));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("verdict"), "Verified"));
        assertEquals("This service trusts no witnesses, so none were checked.", driver.findElement(By.id("witnessed")).getText());
        String script = "const done = arguments[arguments.length - 1];"
                + "import('/assets/tlog.js').then(async t => {"
                + " const receipt = await (await fetch('/v1/receipts/' + arguments[0])).json();"
                + " const keys = await (await fetch('/v1/keys')).json();"
                + " const checks = await t.verifyReceipt(receipt, keys.verifierKeys, 2, keys.origin, arguments[1], arguments[2], true);"
                + " const c = checks.find(c => c.code === 'checkpoint.witnessed');"
                + " done(JSON.stringify({ok: c.ok, detail: c.detail, cosignedBy: c.cosignedBy}));"
                + "}).catch(e => done('error ' + e));";
        List<String> both = List.of(w1.verifier().verifierKey(), w2.verifier().verifierKey());
        String tooFew = (String) ((JavascriptExecutor) driver).executeAsyncScript(script, r.id(), both, 2);
        assertEquals("{\"ok\":false,\"detail\":\"witness.threshold: cosigned by 1 of 2 trusted witnesses (witness.example/w1), "
                + "2 required; missing: witness.example/w2\",\"cosignedBy\":[\"witness.example/w1\"]}", tooFew);
        String oneOfTwo = (String) ((JavascriptExecutor) driver).executeAsyncScript(script, r.id(), both, 1);
        assertTrue(oneOfTwo.startsWith("{\"ok\":true,\"detail\":\"cosigned by witness.example/w1 (1 of 2 trusted witnesses, "
                + "1 required) at tree size "), oneOfTwo);
        String wrongKey = (String) ((JavascriptExecutor) driver).executeAsyncScript(script, r.id(),
                List.of(w2.verifier().verifierKey()), 1);
        assertTrue(wrongKey.startsWith("{\"ok\":false,\"detail\":\"witness.threshold: cosigned by 0 of 1 trusted witnesses, "
                + "1 required; missing: witness.example/w2\""), wrongKey);
    }

    /** The page's "Download the receipt (JSON)" file passes the offline CLI with both replicas required. */
    private void assertDownloadVerifiesOffline() throws IOException {
        String href = driver.findElement(By.id("download")).getAttribute("href");
        String json = (String) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", href);
        Path dir = Files.createTempDirectory("download-");
        Path receipt = Files.writeString(dir.resolve("receipt.json"), json);
        Path keys = Files.writeString(dir.resolve("keys.json"), given().get("/v1/keys").then().statusCode(200).extract().asString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[] {"receipt", receipt.toString(), "--keys", keys.toString(), "--threshold", "2"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private byte[] screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name), png);
        return png;
    }
}
