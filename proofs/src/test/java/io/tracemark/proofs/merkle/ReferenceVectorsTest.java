package io.tracemark.proofs.merkle;

import static io.tracemark.proofs.merkle.TestTrees.CT_LEAVES;
import static io.tracemark.proofs.merkle.TestTrees.CT_ROOTS;
import static io.tracemark.proofs.merkle.TestTrees.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Published vectors: the RFC 6962 / certificate-transparency 8-leaf tree (as used by
 * transparency-dev/merkle and Go's tlog tests) and real proofs from the Argon 2020 CT log.
 */
class ReferenceVectorsTest {

    // (leaf index, tree size, audit path) from transparency-dev/merkle proof/verify_test.go.
    private static final Object[][] INCLUSION = {
        {0L, 8L, List.of(hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"))},
        {5L, 8L, List.of(hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))},
        {2L, 3L, List.of(hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"))},
        {1L, 5L, List.of(hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
                hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"))},
        {0L, 1L, List.of()},
    };

    // (first size, second size, consistency proof) from the same source.
    private static final Object[][] CONSISTENCY = {
        {1L, 8L, List.of(hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"))},
        {6L, 8L, List.of(hex("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))},
        {2L, 5L, List.of(hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                hex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"))},
        {6L, 7L, List.of(hex("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                hex("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
                hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"))},
        {1L, 1L, List.of()},
    };

    @Test
    void computesPublishedRootsForEverySizeOfTheReferenceTree() {
        InMemoryHashStore store = new InMemoryHashStore();
        CompactRange range = new CompactRange();
        NaiveMerkle naive = new NaiveMerkle(CT_LEAVES);
        for (int size = 1; size <= 8; size++) {
            byte[] leaf = CT_LEAVES.get(size - 1);
            store.appendData(leaf);
            range.appendData(leaf, 0, leaf.length);
            byte[] expected = CT_ROOTS.get(size - 1);
            assertArrayEquals(expected, Tlog.treeHash(size, store), "Tlog.treeHash size " + size);
            assertArrayEquals(expected, range.root(), "CompactRange size " + size);
            assertArrayEquals(expected, naive.mth(0, size), "naive MTH size " + size);
        }
        // Earlier sizes stay readable from the grown store.
        for (int size = 1; size <= 8; size++) {
            assertArrayEquals(CT_ROOTS.get(size - 1), Tlog.treeHash(size, store));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void generatesAndVerifiesPublishedInclusionProofs() {
        InMemoryHashStore store = TestTrees.store(CT_LEAVES);
        for (Object[] v : INCLUSION) {
            long index = (Long) v[0];
            long size = (Long) v[1];
            byte[][] expected = TestTrees.array((List<byte[]>) v[2]);
            byte[][] proof = Tlog.proveRecord(size, index, store);
            assertEquals(expected.length, proof.length, "proof length for " + index + "/" + size);
            for (int i = 0; i < proof.length; i++) {
                assertArrayEquals(expected[i], proof[i], "proof[" + i + "] for " + index + "/" + size);
            }
            byte[] leafHash = Rfc9162Hasher.leafHash(CT_LEAVES.get((int) index));
            Rfc9162Verifier.verifyInclusion(index, size, leafHash, expected, CT_ROOTS.get((int) size - 1));
            Tlog.checkRecord(expected, size, CT_ROOTS.get((int) size - 1), index, leafHash);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void generatesAndVerifiesPublishedConsistencyProofs() {
        InMemoryHashStore store = TestTrees.store(CT_LEAVES);
        for (Object[] v : CONSISTENCY) {
            long first = (Long) v[0];
            long second = (Long) v[1];
            byte[][] expected = TestTrees.array((List<byte[]>) v[2]);
            byte[][] proof = Tlog.proveTree(second, first, store);
            assertEquals(expected.length, proof.length, "proof length for " + first + "->" + second);
            for (int i = 0; i < proof.length; i++) {
                assertArrayEquals(expected[i], proof[i], "proof[" + i + "] for " + first + "->" + second);
            }
            byte[] r1 = CT_ROOTS.get((int) first - 1);
            byte[] r2 = CT_ROOTS.get((int) second - 1);
            Rfc9162Verifier.verifyConsistency(first, second, r1, r2, expected);
            Tlog.checkTree(expected, second, r2, first, r1);
        }
    }

    @Test
    void verifiesRealArgon2020InclusionAndConsistencyProofs() throws IOException {
        byte[] root = Base64.getDecoder().decode("dwlueapdd7LaOEnX2W2Wp9v2XE+KzejHRQGHwEx0oaM=");
        long size = 961984013L;
        byte[] leaf;
        try (InputStream in = getClass().getResourceAsStream("argon2020-leaf-10000.b64")) {
            leaf = Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
        byte[][] audit = b64s("T46AmJsuOM/gFiGlUp+IJJebp+1Z5qratFNW7U0JyOQ=", "9Jj1Feodn42uRYEfffkV4HF/EIPFQ5Zo9IwkxbQ2uhk=",
                "D53/1oCNebF4J59HHgioovKZxrmrKcVuCVhy3Izg8Ck=", "wSFDgGSrsXRPA+1c8WHoAFCsWeUv8NDyP/Q/SgsyVyY=",
                "516/RcwsgdwdzHn18v1dJHqBkgFUbNhmCIWOGjsMJaE=", "naTFY2ajLFgrgs5XUl+zJYZnnlJksLGsA1VYwpLfqbY=",
                "mKBRJo6qao+0Kdh/rhGkZUbHUAxMhrtrclrTpIbNjIg=", "Co4ueOFE7lpifLio94irxxsv1wFMMaK3tPu2ZQkHlro=",
                "yRgy800K6JMYCC05sWfqF2kvCg2riT/pVM+nEa6V5+0=", "n2O38XJZC8/Wpbwi9HhgVizlUyeUHVZvYyQB1607MRc=",
                "go3tAjuNfNSCj87y2Rg1xOroDknGN1eaf3cgvzObf7Q=", "8D0Mj3/J7ySSnFb0afIHYXv6rlOhECnsebY6XKi1IR8=",
                "6rcez46ZU8M5vPiWVMAUfJfAOV0pPP/mch/lYzZhj/M=", "2rtIeXrPvSdUyHc5maIgSAVB2BzaKaupWxSAiVayDE4=",
                "nniW/IMFQPN5xw8UsHFn7CRStYbm1gLu7NNa6kkRqJQ=", "mRPPi7sQS22MduIEyvcNzCNFqIt6kLwYPkNKrVtIcu8=",
                "JvTivzESNS9wHI8aph5a7uieVmtS/p9PciMZ5D6GyOo=", "UTyQd+Ym0wY4zG+qK806bBORwi1CSVvFQ/KknnqoZj8=",
                "hXODrqN+ff+U6zPqRQ+ZQKs6im1fPcxIerDSfNwflhE=", "II6GE+WY/DrpZzfHztLwkR46o37zVkNLCyPYlf68zA0=",
                "d609kWWcNBllbA8Jb/ad4XAVVGnScLRmtP8FYyr+Dck=", "rikBsP0G0gioXRpBFED2CzQdSLrGPvRd0bEcbEZw1rI=",
                "GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0=", "pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=",
                "f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA=", "WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=",
                "f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ=", "NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=",
                "C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI=", "nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=");
        Tlog.checkRecord(audit, size, root, 10000, Rfc9162Hasher.leafHash(leaf));

        byte[][] consistency = b64s("80Sfbj6UQEdVSZCSIgh9NMPj3vCBzcc1A48B2crJSWg=", "FZcrgAHUk6nNPviJZq8kEK6jCG1d18pJOFE45ZDc1TQ=",
                "Q67reWXmPBo1UfmwBap4Xi9PMPfFdUSSw3WGlRZdG7k=", "eJ7CyhR4PxzBxDIsWgrVYW1eFUb9ndgf46tFmiqVrxA=",
                "QrDwp062Grm5WY8KdrhFsBuuNjGzRox2Jb8PmVL5OYw=", "XM4YMjMEdLH/XJam/ZWyaP14k3cmsOtnPsOWQ54lW1s=",
                "SGiBh+jOTGccXU48ZzgQ88lRcBmtB4wz4oSDndv2QTg=", "WAS6txqNLYKGL1GdBdpqmV42TTfn6cJsuDsqLXuTCNI=",
                "QFmRS0rirUA7ZN3lxFjDncV+E1OCrn3NUB4RCp+5fzc=", "Hdbp7It2XBNZmNDBpCN/KPd7vfVqxgzwOosqVIaEA9E=",
                "mxvHL0ZiblBdD7j7pIa1jlfB0gSqfJ6oX0UGo7L0VsU=", "q5hjyvoW6TL/PThgcitpDcSTrnKX2p1+aqscqH2euRA=",
                "jTOWDqt3IHj2NVFeezyBz2ofpru+ztEywqKUAfFclKI=", "GIRn0w3HqJdvU9j1WVD//eR6lk2AaTVjyzjsJNP8U88=",
                "x52GJvxG81fnQBrgOTbll1A5tz95/LXK0Ag1NhB0r1I=", "6/0OqrcTgc3o5dD5PymmoC96lB9yLPFuTHVvLy8fSGk=",
                "Gf+iKLfcXO5l4JEFmsZvSdG5q1uEeWPfYLrds6pmjz0=", "DGuaco+McyM3AfRSF6qX7RwSetwe2ieYJmxw5e9rVx0=",
                "2tQJ9V32hnYp+fdpP6TcjmgJmLeNVOMKM0Ml1kk4cNU=", "3PapK+IkyJr8I9yAErAmzuZezzLMzsg+PfeRCgNW8NQ=",
                "s6xiYeejb+wtqHA+URJZ2I/SCPyIW8coP6aB00FJbMY=", "z9lSpmdTcr5M5ZzKlc4EPh3SrSypKFdk6JUF/UccaZU=",
                "GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0=", "pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=",
                "f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA=", "WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=",
                "f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ=", "NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=",
                "C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI=", "nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=");
        byte[] oldRoot = Base64.getDecoder().decode("AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=");
        Tlog.checkTree(consistency, size, root, 3654490L, oldRoot);
    }

    @Test
    void leafAndNodeHashesMatchTheirDefinitions() {
        assertArrayEquals(CT_ROOTS.get(0), Rfc9162Hasher.leafHash(new byte[0]));
        assertArrayEquals(hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                Rfc9162Hasher.emptyRoot());
        byte[] l = Rfc9162Hasher.leafHash(CT_LEAVES.get(0));
        byte[] r = Rfc9162Hasher.leafHash(CT_LEAVES.get(1));
        assertArrayEquals(CT_ROOTS.get(1), Rfc9162Hasher.nodeHash(l, r));
    }

    @Test
    void reusableHasherWritesAtOffsetsAndToleratesAliasedOutput() {
        Rfc9162Hasher h = new Rfc9162Hasher();
        byte[] src = {9, 9, 0x20, 0x21, 9};
        byte[] out = new byte[40];
        h.leafHashInto(src, 2, 2, out, 5);
        assertArrayEquals(Rfc9162Hasher.leafHash(CT_LEAVES.get(3)), Arrays.copyOfRange(out, 5, 37));

        byte[] buf = new byte[64];
        System.arraycopy(Rfc9162Hasher.leafHash(CT_LEAVES.get(0)), 0, buf, 0, 32);
        System.arraycopy(Rfc9162Hasher.leafHash(CT_LEAVES.get(1)), 0, buf, 32, 32);
        h.nodeHashInto(buf, 0, buf, 32, buf, 0);
        assertArrayEquals(CT_ROOTS.get(1), Arrays.copyOf(buf, 32));
    }

    private static byte[][] b64s(String... s) {
        return Arrays.stream(s).map(Base64.getDecoder()::decode).toArray(byte[][]::new);
    }
}
