package io.tracemark.testsupport.tsa;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An RFC 3161 time-stamping authority independent of Tracemark's code, to stand in for a public one in
 * tests: OpenSSL's own TSA ({@code openssl ts -reply}) with an EC P-256 key and a self-issued certificate
 * whose only, critical, extended key usage is timeStamping, answering HTTP POSTs from a separate JVM
 * process ({@link OpensslTsaServer}) on a port the OS picks. Needs {@code openssl} on the PATH
 * ({@code ./tracemark test-tools} installs it).
 */
public final class OpensslTsa implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final URI url;

    private OpensslTsa(Path dir, Process process, URI url) {
        this.dir = dir;
        this.process = process;
        this.url = url;
    }

    /** Whether {@code openssl} can be run here. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates the authority's key and certificate (subject {@code CN=<commonName>}) and starts its HTTP process. */
    public static OpensslTsa start(String commonName) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("openssl-tsa-");
        Files.writeString(dir.resolve("tsa.cnf"), config(dir, commonName), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("serial"), "01\n");
        run(dir, "openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-days", "30", "-config", dir.resolve("tsa.cnf").toString(), "-extensions", "ext");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = new File(OpensslTsaServer.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .getPath();
        Process p = new ProcessBuilder(java, "-Xmx32m", "-Dsun.net.httpserver.nodelay=true", "-cp", classpath,
                OpensslTsaServer.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(dir.resolve("port"))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the TSA process did not start: " + Files.readString(dir.resolve("server.log")));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readString(dir.resolve("port")).trim());
        return new OpensslTsa(dir, p, URI.create("http://127.0.0.1:" + port + "/tsr"));
    }

    /** Where RFC 3161 queries are POSTed. */
    public URI url() {
        return url;
    }

    /** The authority's certificate file (PEM). */
    public Path certificateFile() {
        return dir.resolve("cert.pem");
    }

    /** The authority's certificate, PEM. */
    public String certificatePem() throws IOException {
        return Files.readString(certificateFile());
    }

    /** The process id of the HTTP endpoint, to show it is not the test's JVM. */
    public long pid() {
        return process.pid();
    }

    /**
     * Runs {@code openssl ts -verify} on a DER token (not a whole response) against this authority's certificate
     * and the SHA-256 {@code digestHex} it must stamp; returns openssl's exit status and output.
     */
    public Verification verify(byte[] token, String digestHex) throws IOException, InterruptedException {
        return verify(token, digestHex, certificateFile());
    }

    /** {@code openssl ts -verify} of a DER token against {@code certificate} (trusted and offered as the signer). */
    public static Verification verify(byte[] token, String digestHex, Path certificate)
            throws IOException, InterruptedException {
        Path f = Files.createTempFile("token-", ".der");
        try {
            Files.write(f, token);
            Process p = new ProcessBuilder("openssl", "ts", "-verify", "-token_in", "-in", f.toString(), "-digest",
                    digestHex, "-CAfile", certificate.toString(), "-untrusted", certificate.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Verification(p.waitFor(), out);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** What {@code openssl ts -verify} said. */
    public record Verification(int exit, String output) {
        /** Exit 0 and "Verification: OK". */
        public boolean ok() {
            return exit == 0 && output.contains("Verification: OK");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String config(Path dir, String commonName) {
        return String.join("\n",
                "[ req ]", "distinguished_name = dn", "prompt = no",
                "[ dn ]", "CN = " + commonName,
                "[ ext ]", "basicConstraints = critical,CA:FALSE", "keyUsage = critical,digitalSignature,nonRepudiation",
                "extendedKeyUsage = critical,timeStamping", "subjectKeyIdentifier = hash",
                "[ tsa ]", "default_tsa = tsa_config",
                "[ tsa_config ]", "dir = " + dir, "serial = $dir/serial", "crypto_device = builtin",
                "signer_cert = $dir/cert.pem", "signer_key = $dir/key.pem", "signer_digest = sha256",
                "default_policy = 1.2.3.4.1", "digests = sha256",
                "accuracy = secs:1", "ordering = no", "tsa_name = no", "ess_cert_id_chain = no", "ess_cert_id_alg = sha256",
                "");
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
