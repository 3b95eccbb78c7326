package io.meshpilot.schemas;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.Comparator;
import java.util.List;

/** Turns the validator's errors into {@link FieldError}s that name the field and say what is wrong. */
final class SchemaErrors {

    private SchemaErrors() {
    }

    static List<FieldError> toFieldErrors(List<Error> errors) {
        return errors.stream()
                .map(SchemaErrors::toFieldError)
                .distinct()
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::problem))
                .toList();
    }

    static FieldError toFieldError(Error error) {
        String location = dotted(error.getInstanceLocation());
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        return switch (keyword) {
            case "required" -> new FieldError(child(location, error.getProperty()), "is required");
            case "additionalProperties", "unevaluatedProperties" ->
                    new FieldError(child(location, error.getProperty()), "is not a known field");
            case "type" -> new FieldError(location, typeProblem(error));
            case "format" -> new FieldError(location, "must be a valid " + error.getArguments()[0]
                    + (String.valueOf(error.getArguments()[0]).equals("date-time")
                    ? " (RFC 3339, e.g. 2026-11-25T16:40:00Z)" : ""));
            default -> new FieldError(location, problemOf(error));
        };
    }

    private static String typeProblem(Error error) {
        Object[] arguments = error.getArguments();
        return arguments != null && arguments.length >= 2
                ? "must be of type " + arguments[1] + ", found " + arguments[0]
                : problemOf(error);
    }

    private static String problemOf(Error error) {
        String message = error.getMessage();
        // The validator prefixes its messages with the instance location ("$.a.b: ..."); the field says that.
        int colon = message.indexOf(": ");
        String problem = message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
        return problem.isBlank() ? "is invalid (" + error.getKeyword() + ")" : problem;
    }

    static String dotted(NodePath path) {
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(element);
            }
        }
        return field.isEmpty() ? FieldError.DOCUMENT : field.toString();
    }

    private static String child(String parent, String property) {
        if (property == null) {
            return parent;
        }
        return FieldError.DOCUMENT.equals(parent) ? property : parent + "." + property;
    }
}
