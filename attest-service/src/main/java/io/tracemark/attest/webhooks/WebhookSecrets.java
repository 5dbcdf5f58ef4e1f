package io.tracemark.attest.webhooks;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Webhook signing secrets at rest: sealed with {@link SecretBox} bound to their tenant and subscription id,
 * so a database reader cannot sign and a value copied to another subscription does not open. Keys come from
 * {@code tracemark.attest.webhooks.secret-keys} (first seals) followed by those of
 * {@code tracemark.attest.webhooks.secret-key-file}; with neither the service does not start. Values written
 * before encryption ({@code whsec_…}) are read as they are until re-sealed.
 */
@ApplicationScoped
// Ahead of the beans that reach MongoDB at startup, so a missing key is the error an operator sees first.
@Startup(ObserverMethod.DEFAULT_PRIORITY - 100)
public class WebhookSecrets {
    static final String KEYS_ENV = "TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEYS";
    static final String FILE_ENV = "TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEY_FILE";
    /** Key ids with this prefix are published (dev and test profiles) and refused outside them. */
    static final String INSECURE_PREFIX = "insecure-";
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    /** Opened secrets by subscription and sealed value, at most this many (then forgotten all at once). */
    private static final int OPENED_MAX = 10_000;

    private final SecretBox box;
    /**
     * Secrets already opened, by tenant, subscription and sealed value: opening is an AES-GCM decryption and
     * signing happens on every delivery. A rotation or a re-seal changes the sealed value, so the key.
     */
    private final Map<String, String> opened = new ConcurrentHashMap<>();

    @Inject
    public WebhookSecrets(@ConfigProperty(name = "tracemark.attest.webhooks.secret-keys") Optional<String> keys,
                          @ConfigProperty(name = "tracemark.attest.webhooks.secret-key-file") Optional<String> file) {
        this(keys, file, LaunchMode.current().isDevOrTest());
    }

    WebhookSecrets(Optional<String> keysSpec, Optional<String> file, boolean devOrTest) {
        List<SecretBox.Key> keys = new ArrayList<>();
        if (keysSpec.isPresent() && !keysSpec.get().isBlank()) {
            try {
                keys.addAll(SecretBox.parseKeys(keysSpec.get()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("tracemark.attest.webhooks.secret-keys (" + KEYS_ENV + "): " + e.getMessage());
            }
        }
        if (file.isPresent() && !file.get().isBlank()) {
            keys.addAll(fromFile(Path.of(file.get())));
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("No key to encrypt webhook signing secrets at rest. Set " + KEYS_ENV
                    + "=<key-id>:<base64 32-byte key> (e.g. k1:$(openssl rand -base64 32); list older keys after it,"
                    + " comma-separated, to keep reading values they sealed) or " + FILE_ENV
                    + "=<path> (a key file created with a random key on first start; it must persist and be shared"
                    + " by every attest replica).");
        }
        if (!devOrTest) {
            for (SecretBox.Key k : keys) {
                if (k.id().startsWith(INSECURE_PREFIX)) {
                    throw new IllegalStateException("Webhook secret key " + k.id() + " is the published development key;"
                            + " set " + KEYS_ENV + " to a key of your own.");
                }
            }
        }
        try {
            box = new SecretBox(keys);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("webhook secret keys (" + KEYS_ENV + ", " + FILE_ENV + "): " + e.getMessage());
        }
        LOG.infof("webhook signing secrets are sealed with key id %s; key ids that open: %s", box.sealingKeyId(),
                String.join(",", box.keyIds()));
    }

    private static List<SecretBox.Key> fromFile(Path path) {
        try {
            SecretKeyFile.Loaded l = SecretKeyFile.loadOrCreate(path);
            if (l.created()) {
                LOG.infof("created webhook secret key file %s (mode 600); keep it: secrets sealed with it need it", path);
            }
            if (l.exposed()) {
                LOG.warnf("webhook secret key file %s is readable by group or others; chmod 600 it", path);
            }
            return l.keys();
        } catch (IOException e) {
            throw new UncheckedIOException("webhook secret key file " + path + " (" + FILE_ENV + ")", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("webhook secret key file (" + FILE_ENV + ") " + e.getMessage());
        }
    }

    /** Whether {@code stored} is a plain-text secret written before secrets were encrypted. */
    public static boolean isLegacy(String stored) {
        return stored.startsWith(WebhookSigning.PREFIX);
    }

    /** The stored form of {@code secret} for subscription {@code id} of {@code tenant}. */
    public String seal(String tenant, String id, String secret) {
        return box.seal(secret, context(tenant, id));
    }

    /** The secret behind a stored value; legacy plain text is returned as it is. */
    public String open(String tenant, String id, String stored) {
        return isLegacy(stored) ? stored : box.open(stored, context(tenant, id));
    }

    /** The secrets of {@code sub} that sign at the moment given, newest first. */
    public List<String> signing(Subscription sub, Instant now) {
        return sub.activeStored(now).stream().map(s -> opened(sub, s)).toList();
    }

    private String opened(Subscription sub, String stored) {
        String key = sub.tenant() + '\n' + sub.id() + '\n' + stored;
        String secret = opened.get(key);
        if (secret == null) {
            secret = open(sub.tenant(), sub.id(), stored);
            if (opened.size() >= OPENED_MAX) {
                opened.clear();
            }
            opened.put(key, secret);
        }
        return secret;
    }

    /**
     * The stored value to keep on a rewrite: legacy plain text and values of an older key are sealed under
     * the current key; one that does not open is kept as it is, as the failure belongs to that value only.
     */
    public String reseal(String tenant, String id, String stored) {
        if (isLegacy(stored)) {
            return seal(tenant, id, stored);
        }
        if (stored.startsWith(SecretBox.VERSION + ":" + box.sealingKeyId() + ":")) {
            return stored;
        }
        try {
            return seal(tenant, id, box.open(stored, context(tenant, id)));
        } catch (SecretBoxException e) {
            LOG.warnf(e, "webhook endpoint %s of tenant %s keeps a secret that does not open", id, tenant);
            return stored;
        }
    }

    private static byte[] context(String tenant, String id) {
        return SecretBox.context("webhook-subscription", tenant, id);
    }
}
