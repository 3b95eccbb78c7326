package io.meshpilot.reliability.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs docs/install.md prescribes, read from its tables, so the security tests grant exactly what an operator
 * following the docs would: one table per principal, rows of resource, pattern type and operations.
 */
final class DocumentedAcls {

    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    private DocumentedAcls() {
    }

    static Path installDoc() {
        return Path.of(System.getProperty("meshpilot.root", "..")).resolve("docs/install.md").toAbsolutePath()
                .normalize();
    }

    /**
     * The bindings of the table under {@code **`<heading>`**}, for {@code principal}, with {@code <region>} in
     * resource names expanded to each of {@code regions}. Rows on the cluster resource are left out.
     */
    static List<AclBinding> of(String heading, String principal, List<String> regions) {
        List<AclBinding> bindings = new ArrayList<>();
        for (String row : rows(heading)) {
            String[] cells = row.split("\\|");
            String resource = cells[1].trim();
            ResourceType type = type(resource);
            if (type == null) {
                continue;
            }
            PatternType pattern = cells[2].trim().startsWith("prefixed") ? PatternType.PREFIXED : PatternType.LITERAL;
            Matcher names = NAME.matcher(resource);
            while (names.find()) {
                for (String name : expand(names.group(1), regions)) {
                    for (String operation : cells[3].split(",")) {
                        String word = operation.trim().split("[ (]")[0].toUpperCase(Locale.ROOT);
                        bindings.add(new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(
                                principal, "*", AclOperation.fromString(word), AclPermissionType.ALLOW)));
                    }
                }
            }
        }
        if (bindings.isEmpty()) {
            throw new AssertionError("no ACL table under **`" + heading + "`** in " + installDoc());
        }
        return bindings;
    }

    private static ResourceType type(String resource) {
        if (resource.startsWith("topic")) {
            return ResourceType.TOPIC;
        }
        if (resource.startsWith("group")) {
            return ResourceType.GROUP;
        }
        if (resource.startsWith("transactional id")) {
            return ResourceType.TRANSACTIONAL_ID;
        }
        return null;
    }

    private static List<String> expand(String name, List<String> regions) {
        return name.contains("<region>") ? regions.stream().map(region -> name.replace("<region>", region)).toList()
                : List.of(name);
    }

    private static List<String> rows(String heading) {
        List<String> lines;
        try {
            lines = Files.readAllLines(installDoc());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        boolean inTable = false;
        for (String line : lines) {
            if (line.contains("**`" + heading + "`**")) {
                inSection = true;
            } else if (inSection && line.startsWith("|")) {
                inTable = true;
                if (!line.startsWith("| resource") && !line.startsWith("|---")) {
                    rows.add(line);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }
}
