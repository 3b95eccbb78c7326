package io.meshpilot.embedded.kubernetes.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A region's secrets, made fresh for each start: the service-account signing key pair (PEM) and static bearer tokens
 * for the admin and the control-plane components (kube-apiserver's {@code --token-auth-file}). The API server makes
 * its own self-signed serving certificate in its {@code --cert-dir}.
 */
final class RegionCredentials {

    /** A token's user and groups, as the token file lists them. */
    record TokenUser(String user, String groups) {
    }

    static final TokenUser ADMIN = new TokenUser("sandbox-admin", "system:masters");
    static final TokenUser CONTROLLER_MANAGER = new TokenUser("system:kube-controller-manager", "system:masters");
    static final TokenUser SCHEDULER = new TokenUser("system:kube-scheduler", "system:authenticated");
    static final TokenUser KWOK = new TokenUser("kwok", "system:masters");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<TokenUser, String> tokens = new LinkedHashMap<>();
    private final Path serviceAccountKey;
    private final Path tokenFile;

    private RegionCredentials(Path serviceAccountKey, Path tokenFile) {
        this.serviceAccountKey = serviceAccountKey;
        this.tokenFile = tokenFile;
    }

    static RegionCredentials create(Path dir) {
        RegionCredentials credentials = new RegionCredentials(dir.resolve("service-account.key"),
                dir.resolve("tokens.csv"));
        for (TokenUser user : new TokenUser[] {ADMIN, CONTROLLER_MANAGER, SCHEDULER, KWOK}) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            credentials.tokens.put(user, HexFormat.of().formatHex(bytes));
        }
        credentials.write();
        return credentials;
    }

    private void write() {
        StringBuilder file = new StringBuilder();
        tokens.forEach((user, token) -> file.append(token).append(',').append(user.user()).append(',')
                .append(user.user()).append(",\"").append(user.groups()).append("\"\n"));
        try {
            Files.writeString(tokenFile, file);
            KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
            Files.writeString(serviceAccountKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the region's credentials", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM cannot make RSA keys", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    String token(TokenUser user) {
        return tokens.get(user);
    }

    Path tokenFile() {
        return tokenFile;
    }

    /** PKCS#8; kube-apiserver derives the public key for verification from it. */
    Path serviceAccountKey() {
        return serviceAccountKey;
    }
}
