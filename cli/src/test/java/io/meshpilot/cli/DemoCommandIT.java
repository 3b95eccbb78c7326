package io.meshpilot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, point 4: {@code bin/meshpilot demo}, as the README runs it, prints no library's warnings (the Kafka
 * producer's retried {@code CONCURRENT_TRANSACTIONS} among them); with {@code --log-format json} every line on stderr
 * is a JSON object, so each names its logger.
 */
class DemoCommandIT {

    @Test
    void printsTheStoryAndNoLibraryWarnings(@TempDir Path dir) throws Exception {
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        Process demo = new ProcessBuilder(Path.of("..", "bin", "meshpilot").toString(), "--log-format", "json", "demo")
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertThat(demo.waitFor(190, TimeUnit.SECONDS)).isTrue();

        assertThat(demo.exitValue()).as(Files.readString(stdout)).isZero();
        assertThat(Files.readString(stdout)).contains("Demo passed: 10 of 10 steps matched");
        ObjectMapper json = new ObjectMapper();
        List<String> fromLibraries = new ArrayList<>();
        for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
            JsonNode logged = json.readTree(line);
            if (!logged.get("logger").asText().startsWith("io.meshpilot")) {
                fromLibraries.add(line);
            }
        }
        assertThat(fromLibraries).isEmpty();
    }
}
