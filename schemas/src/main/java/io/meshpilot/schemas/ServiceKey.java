package io.meshpilot.schemas;

import java.util.Optional;

/** A Service's identity across regions, and the Kafka record key {@code <namespace>/<service>}. */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {

    public static Optional<ServiceKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        int slash = key.indexOf('/');
        if (slash <= 0 || slash != key.lastIndexOf('/') || slash == key.length() - 1) {
            return Optional.empty();
        }
        ServiceKey parsed = new ServiceKey(key.substring(0, slash), key.substring(slash + 1));
        return Names.namespace(parsed.namespace).isEmpty() && Names.service(parsed.name).isEmpty()
                ? Optional.of(parsed) : Optional.empty();
    }

    @Override
    public int compareTo(ServiceKey other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
