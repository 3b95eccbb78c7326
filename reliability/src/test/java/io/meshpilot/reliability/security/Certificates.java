package io.meshpilot.reliability.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1 made with the JDK's keytool: the broker's keystore and a truststore. */
record Certificates(Path keystore, Path truststore, String password) {

    static Certificates create(Path directory) {
        Certificates certificates = new Certificates(directory.resolve("broker.p12"),
                directory.resolve("truststore.p12"), "meshpilot-test");
        Path pem = directory.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", certificates.keystore().toString(), "-storepass", certificates.password());
        keytool("-exportcert", "-alias", "broker", "-rfc", "-file", pem.toString(),
                "-keystore", certificates.keystore().toString(), "-storepass", certificates.password());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", pem.toString(), "-storetype", "PKCS12",
                "-keystore", certificates.truststore().toString(), "-storepass", certificates.password());
        return certificates;
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run keytool: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
