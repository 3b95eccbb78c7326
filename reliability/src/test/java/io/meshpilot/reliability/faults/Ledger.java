package io.meshpilot.reliability.faults;

import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.DirectiveStatus;
import io.meshpilot.schemas.KubernetesContract;
import io.meshpilot.schemas.MeshRecord;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.ServiceDirective;
import io.meshpilot.schemas.Topics;
import io.meshpilot.sandbox.Sandbox;
import io.meshpilot.testing.TopicReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the topics and the clusters say happened to the fleet's directives: every directive published (committed) and
 * every status the agents reported. It checks that none was lost (each Service carries the newest directive published
 * for it) and none applied out of order (an agent never applied a version older than one it had applied).
 */
final class Ledger {

    /** What was checked, for the report. */
    record Summary(int published, int applied, List<String> problems) {
    }

    private Ledger() {
    }

    static Summary check(Sandbox sandbox, Fleet fleet, Topics topics) {
        int published = 0;
        int applied = 0;
        List<String> problems = new ArrayList<>();
        for (String region : fleet.regions()) {
            Map<String, Long> newest = new HashMap<>();
            for (ServiceDirective directive : read(sandbox, topics.directives(region), ServiceDirective.class)) {
                String key = directive.namespace() + "/" + directive.service();
                Long before = newest.put(key, directive.version());
                if (before != null && directive.version() <= before) {
                    problems.add(region + "/" + key + ": directive " + directive.version() + " published after "
                            + before);
                }
                published++;
            }
            Map<String, Long> appliedSoFar = new HashMap<>();
            for (DirectiveStatus status : read(sandbox, topics.status(region), DirectiveStatus.class)) {
                if (status.result() != DirectiveStatus.Result.APPLIED) {
                    continue;
                }
                String key = status.namespace() + "/" + status.service();
                Long before = appliedSoFar.put(key, status.version());
                if (before != null && status.version() < before) {
                    problems.add(region + "/" + key + ": applied " + status.version() + " after " + before);
                }
                applied++;
            }
            for (int i = 0; i < fleet.size(); i++) {
                String key = Fleet.NAMESPACE + "/" + Fleet.name(i);
                String onService = annotation(sandbox, region, Fleet.name(i));
                String expected = String.valueOf(newest.get(key));
                if (!expected.equals(onService)) {
                    problems.add(region + "/" + key + ": carries directive " + onService + ", newest published "
                            + expected);
                }
            }
        }
        return new Summary(published, applied, List.copyOf(problems));
    }

    private static String annotation(Sandbox sandbox, String region, String service) {
        var found = sandbox.region(region).client().services().inNamespace(Fleet.NAMESPACE).withName(service).get();
        Map<String, String> annotations = found == null ? null : found.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesContract.DIRECTIVE_VERSION_ANNOTATION);
    }

    private static <T extends MeshRecord> List<T> read(Sandbox sandbox, String topic,
            Class<T> kind) {
        List<T> documents = new ArrayList<>();
        try (TopicReader reader = new TopicReader(sandbox.bootstrapServers(), topic)) {
            for (ConsumerRecord<String, byte[]> record : reader.readToEnd()) {
                if (record.value() != null && record.key() != null && record.key().startsWith(Fleet.NAMESPACE + "/")
                        && RecordCodec.get().decode(record.value(), kind) instanceof Decoded.Valid<T> valid) {
                    documents.add(valid.record());
                }
            }
        }
        return documents;
    }
}
