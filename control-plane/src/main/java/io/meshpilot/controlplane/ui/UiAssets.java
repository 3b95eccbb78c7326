package io.meshpilot.controlplane.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/** The page's files, read from the control plane's jar once at start: nothing is fetched from elsewhere at run time. */
final class UiAssets {

    static final String ROOT = "meshpilot-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files;

    private UiAssets(Map<String, byte[]> files) {
        this.files = files;
    }

    static UiAssets load() {
        Map<String, byte[]> files = new java.util.HashMap<>();
        TYPES.keySet().forEach(name -> files.put(name, read(ROOT + name)));
        return new UiAssets(Map.copyOf(files));
    }

    Optional<byte[]> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    static String type(String name) {
        return TYPES.get(name);
    }

    private static byte[] read(String resource) {
        try (InputStream in = UiAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the control plane's jar lacks " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
