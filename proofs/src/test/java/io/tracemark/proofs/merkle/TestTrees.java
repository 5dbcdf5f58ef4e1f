package io.tracemark.proofs.merkle;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Shared fixtures: the standard CT 8-leaf vectors and helpers to build logs. */
public final class TestTrees {
    public static final HexFormat HEX = HexFormat.of();

    /** The eight leaves of the RFC 6962 / certificate-transparency reference tree. */
    public static final List<byte[]> CT_LEAVES = List.of(
            hex(""), hex("00"), hex("10"), hex("2021"), hex("3031"), hex("40414243"),
            hex("5051525354555657"), hex("606162636465666768696a6b6c6d6e6f"));

    /** Published roots of the reference tree for sizes 1..8. */
    public static final List<byte[]> CT_ROOTS = List.of(
            hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            hex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
            hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            hex("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
            hex("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
            hex("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
            hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

    private TestTrees() {
    }

    public static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    /** Leaves "leaf-0", "leaf-1", ... as bytes. */
    public static List<byte[]> syntheticLeaves(int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(("leaf-" + i).getBytes());
        }
        return out;
    }

    public static InMemoryHashStore store(List<byte[]> leaves) {
        InMemoryHashStore s = new InMemoryHashStore();
        for (byte[] leaf : leaves) {
            s.appendData(leaf);
        }
        return s;
    }

    public static byte[][] array(List<byte[]> l) {
        return l.toArray(new byte[0][]);
    }
}
