package io.meshpilot.operations.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.meshpilot.operations.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** One of the charts, rendered and linted by helm itself (helm-java runs Helm's Go library in-process). */
final class HelmChart {

    static final String NAMESPACE = "meshpilot";
    /** The Kubernetes version templates render for (helm-java would otherwise assume 1.20). */
    static final String KUBERNETES_VERSION = "1.31.0";

    private final Path directory;

    private HelmChart(Path directory) {
        this.directory = directory;
    }

    static HelmChart named(String name) {
        return new HelmChart(ProjectFiles.chart(name));
    }

    Path directory() {
        return directory;
    }

    /**
     * {@code helm template} with values files and {@code --set} pairs, in that order of precedence; the release is
     * named after the chart, as docs/install.md installs it.
     */
    String template(List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand command = new Helm(directory).template().withName(directory.getFileName().toString()).withNamespace(NAMESPACE)
                .withKubeVersion(KUBERNETES_VERSION);
        valuesFiles.forEach(command::withValuesFile);
        sets.forEach(command::set);
        return command.call();
    }

    Manifests render(List<Path> valuesFiles, Map<String, Object> sets) {
        return Manifests.parse(template(valuesFiles, sets));
    }

    /**
     * {@code helm lint} with these values over the chart's own. helm-java's lint takes no values, so it lints a copy
     * of the chart whose values.yaml holds the merged values.
     */
    LintResult lint(Path workDirectory, Map<String, Object> values) {
        Path copy = workDirectory.resolve(directory.getFileName());
        copyTree(directory, copy);
        Map<String, Object> merged = merge(readYaml(directory.resolve("values.yaml")), values);
        write(copy.resolve("values.yaml"), new Dump(DumpSettings.builder().build()).dumpToString(merged));
        return new Helm(copy).lint().strict().call();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readYaml(Path file) {
        try {
            Object document = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            return document == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested && merged.get(key) instanceof Map<?, ?> existing) {
                merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) nested));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
