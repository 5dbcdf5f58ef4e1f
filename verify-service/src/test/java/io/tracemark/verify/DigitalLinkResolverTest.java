package io.tracemark.verify;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.Images;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import io.tracemark.verify.fixtures.StoreReads;
import io.tracemark.verify.resolver.BatchIndexFeed;
import jakarta.inject.Inject;
import org.bson.BsonDocument;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GS1 Digital Link resolution: JSON, the browser page, QR codes, lineage and event timeline. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class DigitalLinkResolverTest {
    static final String GTIN = "04006381333931";

    @Inject
    MongoClient mongo;
    @Inject
    StoreReads reads;
    @Inject
    BatchIndexFeed resolverIndex;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    /** tracemark.verify.digital-link-base in the test profile. */
    static final String BASE = "https://id.tracemark.test";

    Registry registry;

    @BeforeEach
    void setUp() {
        registry = new Registry(mongo, database, LoopbackChainNode.shared());
    }

    private Registry.Stored batch(String lot, List<Map<String, String>> inputs) {
        Document keys = new Document("gtin", GTIN).append("lot", lot);
        if (!inputs.isEmpty()) {
            keys.append("inputs", inputs.stream().map(Document::new).toList());
        }
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", lot, "quantity", 10,
                "unit", "H87", "description", "Oat drink 1 l", "inputs", inputs), keys, Instant.now());
        registry.anchor(r, Instant.now());
        return r;
    }

    private Registry.Stored event(String lot, String bizStep, String time, boolean anchored) {
        Registry.Stored e = registry.register("acme", "epcis.event", Map.of("type", "ObjectEvent", "eventTime", time,
                        "bizStep", bizStep),
                new Document("eventHashId", "ni:///sha-256;" + lot + bizStep + "?ver=CBV2.0").append("gtin", GTIN)
                        .append("lot", lot).append("eventTime", time).append("bizStep", bizStep)
                        .append("epcs", List.of("https://id.gs1.org/01/" + GTIN + "/21/S" + lot)), Instant.now());
        if (anchored) {
            registry.anchor(e, Instant.now());
        }
        return e;
    }

    @Test
    void resolvesBatchWithLineageAndTimelineAsJson() {
        Registry.Stored input = batch("OATS-1", List.of());
        Registry.Stored product = batch("DRINK-1", List.of(Map.of("gtin", GTIN, "lot", "OATS-1")));
        Registry.Stored shipped = event("DRINK-1", "shipping", "2026-11-02T10:00:00Z", false);
        Registry.Stored made = event("DRINK-1", "commissioning", "2026-11-01T08:00:00Z", true);
        given().accept("application/json").get("/01/" + GTIN + "/10/DRINK-1").then().statusCode(200)
                .header("Vary", "Accept")
                .body("gtin", equalTo(GTIN)).body("lot", equalTo("DRINK-1"))
                .body("product.description", equalTo("Oat drink 1 l"))
                .body("registrations[0].recordId", equalTo(product.id()))
                .body("registrations[0].proof", equalTo("anchored"))
                .body("lineage.inputs[0].recordId", equalTo(input.id()))
                .body("lineage.inputs[0].digitalLink", equalTo("/01/" + GTIN + "/10/OATS-1"))
                .body("events.recordId", equalTo(List.of(made.id(), shipped.id())))
                .body("events[0].bizStep", equalTo("commissioning"))
                .body("events[0].proof", equalTo("anchored"))
                .body("events[0].receiptUrl", equalTo("/v1/receipts/" + made.id()))
                .body("events[1].proof", equalTo("pending"));
        given().accept("application/json").get("/01/" + GTIN + "/10/OATS-1").then().statusCode(200)
                .body("lineage.outputs.recordId", hasItem(product.id()));
    }

    /**
     * The embedded MongoDB-wire server serves a filter from an index only when its keys are a unique index's, so a
     * page, item, lineage or linkset answer must read the store by {@code _id} (or {@code digest}) alone.
     */
    @Test
    void pageItemLineageAndLinksetAnswersReadTheStoreOnlyByKey() {
        Registry.Stored oats = batch("SCAN-OATS", List.of());
        Registry.Stored drink = batch("SCAN-DRINK", List.of(Map.of("gtin", GTIN, "lot", "SCAN-OATS")));
        Registry.Stored made = event("SCAN-DRINK", "commissioning", "2026-11-01T08:00:00Z", true);
        Registry.Stored unpacked = registry.register("acme", "epcis.event", Map.of("type", "ObjectEvent"),
                new Document("eventTime", "2026-11-02T08:00:00Z").append("bizStep", "unpacking")
                        .append("epcs", List.of("https://id.gs1.org/01/" + GTIN + "/21/SCAN-7")), Instant.now());
        reads.start();
        given().accept("application/json").get("/01/" + GTIN + "/10/SCAN-DRINK/21/SCAN-7").then().statusCode(200)
                .body("registrations[0].recordId", equalTo(drink.id()))
                .body("lineage.inputs[0].recordId", equalTo(oats.id()))
                .body("events.recordId", equalTo(List.of(made.id(), unpacked.id())));
        given().accept("application/json").get("/01/" + GTIN + "/10/SCAN-OATS").then().statusCode(200)
                .body("lineage.outputs.recordId", hasItem(drink.id()));
        given().accept("text/html").get("/01/" + GTIN + "/10/SCAN-DRINK").then().statusCode(200);
        given().queryParam("linkType", "all").get("/01/" + GTIN + "/10/SCAN-DRINK").then().statusCode(200);
        List<StoreReads.Read> seen = reads.reads();
        assertFalse(seen.isEmpty(), "the answers were read from the store");
        for (StoreReads.Read r : seen) {
            assertTrue(keyed(r.filter()), "a read of " + r.collection() + " not by _id or digest: " + r.filter().toJson());
        }
    }

    @Test
    void aBatchStoredWithoutAnAnchorRequestIsResolvedOnceTheIndexIsRebuiltFromTheStore() throws Exception {
        String id = Registry.ulid(Instant.now());
        // As a store restored from a backup holds it: the record, and no request on the topic about it.
        mongo.getDatabase(database).getCollection("records").insertOne(new Document("_id", id).append("tenant", "acme")
                .append("type", "product.batch").append("digest", "ab".repeat(31) + id.substring(24).toLowerCase())
                .append("receivedAt", new java.util.Date()).append("status", "accepted")
                .append("keys", new Document("gtin", GTIN).append("lot", "RESTORED")));
        given().accept("application/json").get("/01/" + GTIN + "/10/RESTORED").then().statusCode(404);
        resolverIndex.rebuild().get(30, java.util.concurrent.TimeUnit.SECONDS);
        given().accept("application/json").get("/01/" + GTIN + "/10/RESTORED").then().statusCode(200)
                .body("registrations[0].recordId", equalTo(id));
    }

    /** {@code {_id: v}}, {@code {_id: {$in: [...]}}} or {@code {digest: v}}: a unique-index seek on any server. */
    private static boolean keyed(BsonDocument filter) {
        if (filter.size() != 1 || !Set.of("_id", "digest").contains(filter.getFirstKey())) {
            return false;
        }
        var v = filter.get(filter.getFirstKey());
        return !v.isDocument() || v.asDocument().keySet().equals(Set.of("$in"));
    }

    @Test
    void shortGtinsRedirectToTheFourteenDigitFormAndItemLinksFindTheirSerialsEvents() {
        batch("DRINK-2", List.of());
        Registry.Stored e = event("DRINK-2", "packing", "2026-11-03T08:00:00Z", true);
        given().redirects().follow(false).accept("application/json").get("/01/4006381333931/10/DRINK-2/21/SDRINK-2?format=json")
                .then().statusCode(301)
                .header("Location", equalTo(BASE + "/01/" + GTIN + "/10/DRINK-2/21/SDRINK-2?format=json"));
        given().redirects().follow(false).get("/01/40063812/10/DRINK-2").then().statusCode(301)
                .header("Location", equalTo(BASE + "/01/00000040063812/10/DRINK-2"));
        given().redirects().follow(false).get("/01/036000291452/10/DRINK-2").then().statusCode(301)
                .header("Location", equalTo(BASE + "/01/00036000291452/10/DRINK-2"))
                .header("Link", containsString("<" + BASE + "/01/00036000291452/10/DRINK-2?linkType=all>; rel=\"linkset\""));
        given().accept("application/json").get("/01/" + GTIN + "/10/DRINK-2/21/SDRINK-2").then().statusCode(200)
                .body("gtin", equalTo(GTIN)).body("serial", equalTo("SDRINK-2")).body("events.recordId", hasItem(e.id()));
    }

    @Test
    void linkTypeAllAndTheLinksetMediaTypeAnswerAnRfc9264LinksetWithEveryReceipt() {
        Registry.Stored product = batch("DRINK-5", List.of());
        Registry.Stored made = event("DRINK-5", "commissioning", "2026-11-01T08:00:00Z", true);
        event("DRINK-5", "shipping", "2026-11-02T08:00:00Z", false);
        String link = BASE + "/01/" + GTIN + "/10/DRINK-5";
        for (var request : List.of(given().queryParam("linkType", "all"), given().accept("application/linkset+json"))) {
            request.get("/01/" + GTIN + "/10/DRINK-5").then().statusCode(200)
                    .contentType(containsString("application/linkset+json"))
                    .header("Link", containsString("<" + link + "?linkType=all>; rel=\"linkset\""))
                    .body("linkset[0].anchor", equalTo(link))
                    .body("linkset[0].'https://gs1.org/voc/defaultLink'[0].href", equalTo(link))
                    .body("linkset[0].'https://gs1.org/voc/pip'[0].type", equalTo("text/html"))
                    .body("linkset[0].'https://gs1.org/voc/traceability'[0].href", equalTo(link + "?format=json"))
                    .body("linkset[0].'https://gs1.org/voc/certificationInfo'.href", equalTo(List.of(
                            BASE + "/v1/receipts/" + product.id(), BASE + "/v1/receipts/" + made.id())));
        }
    }

    @Test
    void aNamedLinkTypeRedirectsToItsTargetAndAnUnknownOneToTheDefaultLink() {
        batch("DRINK-6", List.of());
        String link = BASE + "/01/" + GTIN + "/10/DRINK-6";
        given().redirects().follow(false).queryParam("linkType", "gs1:traceability").get("/01/" + GTIN + "/10/DRINK-6")
                .then().statusCode(307).header("Location", equalTo(link + "?format=json"));
        given().redirects().follow(false).queryParam("linkType", "gs1:recipeInfo").get("/01/" + GTIN + "/10/DRINK-6")
                .then().statusCode(307).header("Location", equalTo(link));
        given().queryParam("linkType", "gs1:pip").get("/01/" + GTIN + "/10/DRINK-6").then().statusCode(200)
                .contentType(containsString("text/html")).header("Link", containsString("rel=\"linkset\""));
    }

    @Test
    void browsersGetTheBatchPageAndEveryAnswerLinksToItsLinkset() {
        batch("DRINK-3", List.of());
        String linkset = "<" + BASE + "/01/" + GTIN + "/10/DRINK-3?linkType=all>; rel=\"linkset\"";
        given().accept("text/html,application/xhtml+xml,*/*;q=0.8").get("/01/" + GTIN + "/10/DRINK-3").then()
                .statusCode(200).contentType(containsString("text/html")).header("Link", containsString(linkset))
                .body(containsString("<script type=\"module\" src=\"/assets/batch.js\"></script>"));
        given().accept("application/json").get("/01/" + GTIN + "/10/DRINK-3").then().statusCode(200)
                .header("Link", containsString(linkset));
        given().get("/01/" + GTIN + "/10/DRINK-3?format=qr").then().statusCode(200).header("Link", containsString(linkset));
    }

    @Test
    void thePageCarriesTheFactsAndTimelineWithoutJavaScriptEscaped() {
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", "DRINK-7", "quantity", 12,
                "unit", "H87", "description", "<b>Oat</b> drink", "productionDate", "2026-11-01", "expiryDate", "2027-05-01"),
                new Document("gtin", GTIN).append("lot", "DRINK-7"), Instant.now());
        registry.anchor(r, Instant.now());
        event("DRINK-7", "https://ref.gs1.org/cbv/BizStep-shipping", "2026-11-02T10:00:00Z", true);
        String html = given().accept("text/html").get("/01/" + GTIN + "/10/DRINK-7").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<h1 id=\"title\">&lt;b&gt;Oat&lt;/b&gt; drink · lot DRINK-7</h1>"), html);
        assertTrue(html.contains("<th scope=\"row\">Quantity</th><td>12 H87</td>"), html);
        assertTrue(html.contains("<th scope=\"row\">Produced</th><td>2026-11-01</td>"), html);
        assertTrue(html.contains("<th scope=\"row\">Best before</th><td>2027-05-01</td>"), html);
        assertTrue(html.contains("<th scope=\"row\">Registered by acme</th><td>registered "), html);
        assertTrue(html.contains("<strong>BizStep-shipping</strong>"), html);
        assertTrue(html.contains("src=\"?format=qr\""), html);
    }

    @Test
    void aBatchRegisteredOutsideTheRegistrantsCompanyPrefixesSaysItIsNotTheBrandOwnersAndTheOwnersFactsComeFirst() {
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Registry.Stored intruder = registry.register("ghost", "product.batch", Map.of("gtin", GTIN, "lot", "GHOST1",
                "quantity", 99, "unit", "H87"), new Document("gtin", GTIN).append("lot", "GHOST1")
                .append("unownedGtins", List.of(GTIN)), t0);
        registry.anchor(intruder, t0);
        String html = given().accept("text/html").get("/01/" + GTIN + "/10/GHOST1").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<th scope=\"row\">Registered by ghost, not the brand owner</th>"), html);

        Registry.Stored owner = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", "GHOST1",
                "quantity", 10, "unit", "H87"), new Document("gtin", GTIN).append("lot", "GHOST1"), t0.plusSeconds(1));
        registry.anchor(owner, t0.plusSeconds(1));
        given().accept("application/json").get("/01/" + GTIN + "/10/GHOST1").then().statusCode(200)
                .body("product.quantity", equalTo(10))
                .body("registrations[0].recordId", equalTo(intruder.id()))
                .body("registrations[0].brandOwner", equalTo(false))
                .body("registrations[0].current", equalTo(false))
                .body("registrations[1].brandOwner", equalTo(true))
                .body("registrations[1].current", equalTo(true));
    }

    @Test
    void anAmendedBatchShowsTheAmendmentsFactsAndTheWholeHistory() {
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Registry.Stored first = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", "AMEND-1",
                "quantity", 100, "unit", "H87"), new Document("gtin", GTIN).append("lot", "AMEND-1"), t0);
        registry.anchor(first, t0);
        Registry.Stored second = registry.register("acme", "product.batch", Map.of("gtin", GTIN, "lot", "AMEND-1",
                "quantity", 120, "unit", "H87", "supersedes", first.id()), new Document("gtin", GTIN).append("lot", "AMEND-1")
                .append("supersedes", List.of(first.id())), t0.plusSeconds(1));
        registry.anchor(second, t0.plusSeconds(1));
        given().accept("application/json").get("/01/" + GTIN + "/10/AMEND-1").then().statusCode(200)
                .body("product.quantity", equalTo(120))
                .body("registrations.recordId", equalTo(List.of(first.id(), second.id())))
                .body("registrations[0].supersededBy", equalTo(second.id()))
                .body("registrations[0].current", equalTo(false))
                .body("registrations[1].supersedes", equalTo(first.id()))
                .body("registrations[1].label", equalTo("Amended by acme"));
        String html = given().accept("text/html").get("/01/" + GTIN + "/10/AMEND-1").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<th scope=\"row\">Quantity</th><td>120 H87</td>"), html);
        assertTrue(html.contains("<th scope=\"row\">Registered by acme</th><td>registered " + t0), html);
        assertTrue(html.contains(", amended by record " + second.id() + "</td>"), html);
        assertTrue(html.contains("<th scope=\"row\">Amended by acme</th>"), html);
    }

    @Test
    void qrCodeEncodesTheDigitalLinkUnderTheConfiguredBaseWhateverTheHost() throws Exception {
        byte[] png = given().header("Host", "evil.example").get("/01/" + GTIN + "/10/DRINK-4?format=qr").then().statusCode(200)
                .contentType("image/png").header("Cache-Control", containsString("immutable")).extract().asByteArray();
        var img = Images.decode(png);
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.getWidth(), img.getHeight(), px)));
        String text = new QRCodeReader().decode(bitmap).getText();
        assertEquals(BASE + "/01/" + GTIN + "/10/DRINK-4", text);
    }

    @Test
    void badCheckDigitsAndUnknownBatchesAreRejectedWithTheResolversLinks() {
        String description = "<" + BASE + "/.well-known/gs1resolver>; rel=\"service-desc\"";
        given().get("/01/04006381333932/10/X").then().statusCode(400).contentType("application/problem+json")
                .header("Link", containsString(description))
                .body("errors[0].code", equalTo("gtin.invalid"));
        given().get("/01/" + GTIN + "/10/X/21/" + "S".repeat(21)).then().statusCode(400)
                .header("Link", containsString(description)).body("errors[0].code", equalTo("serial.invalid"));
        String lot = "NOPE-" + System.nanoTime() % 1000;
        String unknown = "/01/" + GTIN + "/10/" + lot;
        String sameAs = "<" + BASE + unknown + ">; rel=\"http://www.w3.org/2002/07/owl#sameAs\"";
        given().accept("application/json").get(unknown).then().statusCode(404).contentType("application/problem+json")
                .header("Link", containsString(sameAs)).header("Link", containsString(description))
                .body("type", equalTo("https://tracemark.dev/problems/not-found"));
        given().accept("text/html,*/*;q=0.8").get(unknown).then().statusCode(404).contentType(containsString("text/html"))
                .header("Link", containsString(sameAs)).header("Link", containsString(description))
                .body(containsString("Nothing is registered under this code"));
        given().redirects().follow(false).accept("text/html").get("/01/4006381333931/10/" + lot).then().statusCode(301)
                .header("Link", containsString("rel=\"linkset\""));
        given().get("/.well-known/gs1resolver").then().statusCode(200).body("resolverRoot", equalTo(BASE))
                .body("supportedPrimaryKeys", equalTo(List.of("01")))
                .body("supportedLinkType.linkType", hasItem("gs1:traceability"));
    }
}
