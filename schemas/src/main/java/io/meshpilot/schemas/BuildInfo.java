package io.meshpilot.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The meshpilot version this build carries, as heartbeats, metrics and {@code --version} report it. */
public final class BuildInfo {

    private static final String VERSION = load();

    private BuildInfo() {
    }

    public static String version() {
        return VERSION;
    }

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
