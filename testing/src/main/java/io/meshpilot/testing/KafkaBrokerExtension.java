package io.meshpilot.testing;

import io.meshpilot.embedded.kafka.EmbeddedKafkaBroker;
import io.meshpilot.embedded.kafka.Listener;
import io.meshpilot.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the test JVM's one embedded Kafka broker ({@link EmbeddedKafkaBroker}), started on first use and closed
 * when the test run ends, and a {@link Topics} with a prefix of its own for each test, so tests sharing the broker
 * never see each other's records.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class SomethingIT {
 *     @Test
 *     void works(EmbeddedKafkaBroker kafka, Topics topics) { ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKafkaBroker.class || type == Topics.class || type == BrokerLink.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == Topics.class) {
            return new Topics("test" + PREFIXES.incrementAndGet() + ".meshpilot");
        }
        if (parameter.getParameter().getType() == BrokerLink.class) {
            return shared(context).link();
        }
        return broker(context);
    }

    /** The shared broker, for extensions and fixtures that are not given it as a parameter. */
    public static EmbeddedKafkaBroker broker(ExtensionContext context) {
        return shared(context).broker();
    }

    private static SharedBroker shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, key -> new SharedBroker(), SharedBroker.class);
    }

    /** The broker, with a second listener reached through a {@link TcpLink} that tests may cut. */
    private static final class SharedBroker implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final TcpLink tcpLink = TcpLink.open();
        private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of(),
                List.of(Listener.advertisedAt(BrokerLink.LISTENER, tcpLink.port())));
        private final BrokerLink link = new BrokerLink(broker.bootstrapServers(BrokerLink.LISTENER),
                tcpLink.to(broker.boundPort(BrokerLink.LISTENER)));

        EmbeddedKafkaBroker broker() {
            return broker;
        }

        BrokerLink link() {
            return link;
        }

        @Override
        public void close() {
            broker.close();
            tcpLink.close();
        }
    }
}
