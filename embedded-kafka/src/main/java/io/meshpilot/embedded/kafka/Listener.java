package io.meshpilot.embedded.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A client listener of the embedded broker besides its PLAINTEXT one: a name, a security protocol ({@code SASL_SSL},
 * {@code SSL}, {@code PLAINTEXT}, ...), broker settings it needs (e.g. {@code listener.name.secure.*}), and optionally
 * the port to advertise instead of the bound one (for a network link in between). The bound port is chosen at the
 * first start and kept across restarts.
 */
public record Listener(String name, String securityProtocol, Map<String, String> settings,
        OptionalInt advertisedPort) {

    public Listener {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals("PLAINTEXT") || name.equals("CONTROLLER")) {
            throw new IllegalArgumentException("a listener name is upper case and not PLAINTEXT or CONTROLLER: "
                    + name);
        }
        settings = Map.copyOf(settings);
    }

    public static Listener of(String name, String securityProtocol, Map<String, String> settings) {
        return new Listener(name, securityProtocol, settings, OptionalInt.empty());
    }

    /** A PLAINTEXT listener that tells clients to connect to {@code advertisedPort} on loopback instead. */
    public static Listener advertisedAt(String name, int advertisedPort) {
        return new Listener(name, "PLAINTEXT", Map.of(), OptionalInt.of(advertisedPort));
    }
}
