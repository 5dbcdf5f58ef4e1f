package io.tracemark.testsupport;

import java.util.Map;

import com.mongodb.ConnectionString;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Puts a {@link FaultProxy} between a {@code @QuarkusTest} application and the shared MongoDB, so the
 * test can take the store down or make it hang while Kafka stays up.
 *
 * <p>Use next to {@link TracemarkInfraResource} and only on the classes that want it:
 * {@code @QuarkusTestResource(value = MongoFaultResource.class, restrictToAnnotatedClass = true)}. It starts
 * after that resource (higher {@link #order()}), so its connection string is the one that wins.
 */
public class MongoFaultResource implements QuarkusTestResourceLifecycleManager {

    private static volatile FaultProxy proxy;

    /** The proxy of the running application; fails if no test resource started it. */
    public static FaultProxy proxy() {
        FaultProxy p = proxy;
        if (p == null) {
            throw new IllegalStateException("MongoFaultResource is not started for this test class");
        }
        return p;
    }

    /** Starts the proxy in front of the shared MongoDB and points the application's client at it. */
    @Override
    public Map<String, String> start() {
        String direct = SharedInfra.mongoConnectionString();
        String target = new ConnectionString(direct).getHosts().get(0);
        int colon = target.lastIndexOf(':');
        FaultProxy p = new FaultProxy(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        proxy = p;
        String viaProxy = direct.replace(target, p.hostAndPort());
        return Map.of(
                "quarkus.mongodb.connection-string", viaProxy,
                "tracemark.mongodb.connection-string", viaProxy);
    }

    /** Closes the proxy and its connections. */
    @Override
    public void stop() {
        FaultProxy p = proxy;
        proxy = null;
        if (p != null) {
            p.close();
        }
    }

    /** After {@link TracemarkInfraResource} (order 0), so these properties override its connection string. */
    @Override
    public int order() {
        return 1000;
    }
}
