package io.meshpilot.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check a component makes before it starts: does Kafka accept its credentials and let it see its topics? A
 * refusal is a configuration error, reported at once with what to fix. Kafka not answering is not: the component
 * starts anyway and its clients keep trying, as they do after any outage.
 */
public final class KafkaAccess {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);

    private KafkaAccess() {
    }

    /**
     * @throws IllegalStateException when Kafka rejects the credentials or does not authorize describing the topics
     */
    public static void verify(KafkaSettings settings, String clientId, Collection<String> topics, Duration wait) {
        Admin admin = Admin.create(settings.admin(clientId + "-access-check"));
        try {
            admin.describeTopics(topics).allTopicNames().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            refused(e.getCause(), topics);
        } catch (TimeoutException e) {
            LOG.atWarn().addKeyValue("bootstrap", settings.bootstrapServers()).addKeyValue("waited", wait)
                    .log("Kafka did not answer; starting anyway, its clients keep trying");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking access to Kafka", e);
        } finally {
            // a plain close() waits for the unanswered describe up to default.api.timeout.ms (30 s more at start)
            admin.close(Duration.ZERO);
        }
    }

    private static void refused(Throwable cause, Collection<String> topics) {
        if (cause instanceof AuthenticationException) {
            throw new IllegalStateException("Kafka rejected this component's credentials: " + cause.getMessage()
                    + " (check the SASL and TLS settings of --kafka-config)");
        }
        if (cause instanceof AuthorizationException) {
            throw new IllegalStateException("Kafka does not authorize this component on " + topics + ": "
                    + cause.getMessage() + " (grant the ACLs of docs/install.md)");
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            LOG.atWarn().addKeyValue("topics", topics)
                    .log("some topics do not exist yet (meshpilot topics create makes them); starting anyway");
            return;
        }
        LOG.atWarn().addKeyValue("error", String.valueOf(cause)).log("cannot check access to Kafka; starting anyway");
    }
}
