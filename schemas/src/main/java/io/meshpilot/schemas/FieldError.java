package io.meshpilot.schemas;

/**
 * One problem with a document: the field it concerns (a dotted path such as {@code endpoints.ready}, or {@code $}
 * for the document as a whole) and what is wrong with it.
 */
public record FieldError(String field, String problem) {

    public static final String DOCUMENT = "$";

    public static FieldError ofDocument(String problem) {
        return new FieldError(DOCUMENT, problem);
    }

    @Override
    public String toString() {
        return field + ": " + problem;
    }
}
