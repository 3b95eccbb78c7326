package io.meshpilot.testing;

/**
 * A way to the shared broker that a test can cut, as a network partition would: clients bootstrapped from
 * {@link #bootstrapServers()} reach the broker only through a {@link TcpLink}, while every other client keeps its
 * direct connection. Restore what you cut: the broker is shared.
 */
public final class BrokerLink {

    static final String LISTENER = "LINKED";

    private final String bootstrapServers;
    private final TcpLink link;

    BrokerLink(String bootstrapServers, TcpLink link) {
        this.bootstrapServers = bootstrapServers;
        this.link = link;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public void cut() {
        link.cut();
    }

    public void restore() {
        link.restore();
    }
}
