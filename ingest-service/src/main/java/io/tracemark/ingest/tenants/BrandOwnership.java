package io.tracemark.ingest.tenants;

import io.tracemark.contracts.gs1.Gtin14;
import io.tracemark.contracts.records.RecordKeys;
import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.product.ProductBatchType;
import io.tracemark.ingest.records.IntakeCheck;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.PendingRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Only a brand owner speaks for its GTINs: a record whose {@code keys.gtin} names a GTIN outside the tenant's
 * declared GS1 Company Prefixes is refused ({@value #PROBLEM}), or, where the operator allows it
 * ({@code tracemark.ingest.brand.unowned-gtins=mark}), stored with {@code keys.unownedGtins} so that the public
 * pages say it was not registered by the brand owner. A batch's inputs may be anyone's products and are not checked.
 */
@ApplicationScoped
public class BrandOwnership implements IntakeCheck {
    /** Problem type and field code of a refused record. */
    public static final String PROBLEM = "gtin-not-owned";
    /** Index field listing the GTINs a marked record names without owning them. */
    public static final String UNOWNED_GTINS = RecordKeys.UNOWNED_GTINS;

    /** What happens to a record naming another brand's GTIN. */
    public enum Policy {
        /** 422 over HTTP, dead-lettered from Kafka. */
        REFUSE,
        /** Stored and marked as not registered by the brand owner. */
        MARK
    }

    private final TenantDirectory directory;
    private final Policy policy;

    public BrandOwnership(TenantDirectory directory,
                          @ConfigProperty(name = "tracemark.ingest.brand.unowned-gtins") String policy) {
        this.directory = directory;
        this.policy = Policy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public Map<Integer, IntakeResult.Invalid> check(String tenant, List<PendingRecord> batch) {
        Map<Integer, IntakeResult.Invalid> refused = new HashMap<>();
        TenantDirectory.Tenant t = null;
        for (int i = 0; i < batch.size(); i++) {
            PendingRecord p = batch.get(i);
            List<String> gtins = gtins(p.indexFields());
            if (gtins.isEmpty()) {
                continue;
            }
            t = t == null ? directory.get(tenant) : t;
            List<String> prefixes = t.companyPrefixes();
            List<String> unowned = gtins.stream().filter(g -> !Gtin14.ownedBy(g, prefixes)).toList();
            if (unowned.isEmpty()) {
                continue;
            }
            if (policy == Policy.MARK) {
                p.indexFields().append(UNOWNED_GTINS, unowned);
                continue;
            }
            String pointer = ProductBatchType.NAME.equals(p.envelope().type()) ? "/payload/gtin" : "/payload";
            List<Problem.FieldError> errors = unowned.stream().map(g -> new Problem.FieldError(pointer, "gtin.not-owned",
                    "GTIN " + g + " is not under a GS1 Company Prefix declared for tenant " + tenant
                            + (prefixes.isEmpty() ? " (it declared none)" : " " + prefixes))).toList();
            refused.put(i, new IntakeResult.Invalid(PROBLEM, "GTIN outside the tenant's GS1 Company Prefixes", errors));
        }
        return refused;
    }

    /** {@code keys.gtin}: one GTIN-14 for a product batch, one or a list for an EPCIS event. */
    private static List<String> gtins(Document keys) {
        Object g = keys == null ? null : keys.get(RecordKeys.GTIN);
        List<String> out = new ArrayList<>();
        if (g instanceof String s) {
            out.add(s);
        } else if (g instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
