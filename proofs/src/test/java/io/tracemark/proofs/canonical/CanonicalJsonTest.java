package io.tracemark.proofs.canonical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalJsonTest {
    // RFC 8785 §3.2.2 sample input.
    private static final String SAMPLE = "{\n"
            + "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
            + "              2e-3, 0.000000000000000000000000001],\n"
            + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n"
            + "}";
    // RFC 8785 §3.2.3 output.
    private static final String CANONICAL = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    // RFC 8785 §3.2.4 UTF-8 bytes.
    private static final String CANONICAL_HEX = ""
            + "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a "
            + "5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 "
            + "5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";

    @Test
    void canonicalizesTheRfc8785SampleToThePublishedText() {
        assertEquals(CANONICAL, new String(CanonicalJson.canonicalize(SAMPLE), StandardCharsets.UTF_8));
    }

    @Test
    void canonicalizesTheRfc8785SampleToThePublishedBytes() {
        assertArrayEquals(HexFormat.of().parseHex(CANONICAL_HEX.replace(" ", "")), CanonicalJson.canonicalize(SAMPLE));
    }

    @Test
    void sortsPropertiesByUtf16CodeUnitsAsInRfc8785Section323() {
        String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\","
                + " \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
                + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
        String out = new String(CanonicalJson.canonicalize(input), StandardCharsets.UTF_8);
        List<String> order = List.of("Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh");
        int last = -1;
        for (String v : order) {
            int at = out.indexOf(v);
            assertEquals(true, at > last, v + " out of order in " + out);
            last = at;
        }
    }

    @Test
    void serializesNumbersLikeEcmascript() {
        String[][] cases = {
            {"0", "0"}, {"-0", "0"}, {"5e-324", "5e-324"}, {"1.7976931348623157e308", "1.7976931348623157e+308"},
            {"9007199254740992", "9007199254740992"}, {"-9007199254740992", "-9007199254740992"},
            {"295147905179352825856", "295147905179352830000"}, {"1e21", "1e+21"}, {"1e20", "100000000000000000000"},
            {"0.000001", "0.000001"}, {"0.0000001", "1e-7"}, {"1.5E+2", "150"},
        };
        for (String[] c : cases) {
            assertEquals("[" + c[1] + "]", new String(CanonicalJson.canonicalize("[" + c[0] + "]"), StandardCharsets.UTF_8), c[0]);
        }
    }

    @Test
    void givesTheSameBytesForStringTreeAndMapInputs() throws Exception {
        String json = "{\"b\":[1,2.5,\"x\"],\"a\":{\"z\":null,\"y\":true}}";
        byte[] expected = CanonicalJson.canonicalize(json);
        assertArrayEquals(expected, CanonicalJson.canonicalize(new ObjectMapper().readTree(json)));
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", null);
        inner.put("y", true);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", List.of(1, 2.5, "x"));
        map.put("a", inner);
        assertArrayEquals(expected, CanonicalJson.canonicalize(map));
        assertArrayEquals(expected, CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"a\":{\"y\":true,\"z\":null},\"b\":[1,2.5,\"x\"]}", new String(expected, StandardCharsets.UTF_8));
    }

    @Test
    void digestsTheCanonicalBytesWithSha256() {
        assertEquals("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                HexFormat.of().formatHex(RecordDigest.ofJson(" { } ")));
        assertArrayEquals(RecordDigest.ofJson("{\"a\":1,\"b\":2}"), RecordDigest.ofJson("{\"b\":2, \"a\":1.0}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "{", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "[01]", "[1.]", "[.5]", "[NaN]", "[Infinity]",
        "{\"a\":1} x", "{\"a\":1}{}", "[1,]", "{'a':1}", "[\"\\ud800\"]", "{\"\\udc00\":1}", "[9007199254740993]",
        "[-9007199254740993]", "[1e400]", "[-1e400]", "[\"tab\there\"]", "// c\n{}", "[true false]",
    })
    void rejectsInputThatIsNotIJson(String json) {
        ProofException e = assertThrows(ProofException.class, () -> CanonicalJson.canonicalize(json));
        assertEquals(ProofErrorCode.CANONICAL_INVALID, e.errorCode());
        assertEquals("canonical.invalid", e.code());
    }

    @Test
    void rejectsInvalidUtf8AndNonFiniteTreeNumbers() {
        assertThrows(ProofException.class, () -> CanonicalJson.canonicalize(new byte[] {'[', '"', (byte) 0xff, '"', ']'}));
        var node = new ObjectMapper().createArrayNode().add(Double.NaN);
        assertEquals(ProofErrorCode.CANONICAL_INVALID,
                assertThrows(ProofException.class, () -> CanonicalJson.canonicalize(node)).errorCode());
    }

    @Test
    void treesGiveTheSameBytesAsTheirJsonTextForRandomTrees() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        java.util.Random random = new java.util.Random(8785);
        for (int round = 0; round < 3_000; round++) {
            com.fasterxml.jackson.databind.JsonNode node = randomNode(mapper, random, 0);
            com.fasterxml.jackson.databind.JsonNode tree = node.isContainerNode() ? node : mapper.createArrayNode().add(node);
            String text = mapper.writeValueAsString(tree);
            byte[] viaText = null;
            ProofException textError = null;
            try {
                viaText = CanonicalJson.canonicalize(text);
            } catch (ProofException e) {
                textError = e;
            }
            if (textError != null) {
                ProofException treeError = assertThrows(ProofException.class, () -> CanonicalJson.canonicalize(tree), text);
                assertEquals(textError.errorCode(), treeError.errorCode(), text);
            } else {
                assertEquals(new String(viaText, StandardCharsets.UTF_8),
                        new String(CanonicalJson.canonicalize(tree), StandardCharsets.UTF_8), text);
            }
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode randomNode(ObjectMapper m, java.util.Random r, int depth) {
        int kind = depth > 3 ? 2 + r.nextInt(6) : r.nextInt(8);
        switch (kind) {
            case 0 -> {
                var o = m.createObjectNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(randomString(r), randomNode(m, r, depth + 1));
                }
                return o;
            }
            case 1 -> {
                var a = m.createArrayNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomNode(m, r, depth + 1));
                }
                return a;
            }
            case 2 -> {
                return m.getNodeFactory().textNode(randomString(r));
            }
            case 3 -> {
                return switch (r.nextInt(4)) {
                    case 0 -> m.getNodeFactory().numberNode(r.nextInt());
                    case 1 -> m.getNodeFactory().numberNode(r.nextLong() >> r.nextInt(64));
                    case 2 -> m.getNodeFactory().numberNode(new java.math.BigInteger(80, r).shiftLeft(r.nextInt(20)));
                    default -> m.getNodeFactory().numberNode(new java.math.BigDecimal(r.nextLong()).scaleByPowerOfTen(r.nextInt(30)).toBigInteger());
                };
            }
            case 4 -> {
                double[] specials = {0.0, -0.0, 5e-324, Double.MAX_VALUE, 1e21, 1e20, 1e-7, 0.000001, 333333333.33333329};
                return r.nextBoolean() ? m.getNodeFactory().numberNode(specials[r.nextInt(specials.length)])
                        : m.getNodeFactory().numberNode(Double.longBitsToDouble(r.nextLong()));
            }
            case 5 -> {
                return r.nextBoolean() ? m.getNodeFactory().numberNode(r.nextFloat() * (float) Math.pow(10, r.nextInt(20) - 10))
                        : m.getNodeFactory().numberNode(new java.math.BigDecimal(r.nextGaussian()).movePointRight(r.nextInt(9)));
            }
            case 6 -> {
                return m.getNodeFactory().booleanNode(r.nextBoolean());
            }
            default -> {
                return m.getNodeFactory().nullNode();
            }
        }
    }

    private static String randomString(java.util.Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            switch (r.nextInt(7)) {
                case 0 -> b.append((char) r.nextInt(0x20));
                case 1 -> b.append("\"\\/\u007f\u2028\u20ac".charAt(r.nextInt(6)));
                case 2 -> b.appendCodePoint(0x10000 + r.nextInt(0xFFFFF));
                case 3 -> b.append((char) (0xD800 + r.nextInt(0x800)));
                case 4 -> b.append((char) (0x80 + r.nextInt(0xD700)));
                default -> b.append((char) ('a' + r.nextInt(26)));
            }
        }
        return b.toString();
    }
}
