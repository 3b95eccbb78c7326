package io.meshpilot.kafka;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaAccessTest {

    /**
     * With nothing listening, the check gives up after its wait and the component starts: closing the check's admin
     * client must not wait for the unanswered request (here up to the ten minutes of its API timeout).
     */
    @Test
    void startsAnywayAfterTheWaitWhenKafkaDoesNotAnswer(@TempDir Path dir) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("kafka.properties"), "default.api.timeout.ms=600000\n");
        KafkaSettings settings = KafkaSettings.load(Optional.of(config), Optional.of("127.0.0.1:" + closed));

        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> assertThatCode(() -> KafkaAccess.verify(settings,
                "agent-us-0", List.of("meshpilot.us.health"), Duration.ofSeconds(1))).doesNotThrowAnyException());
    }
}
