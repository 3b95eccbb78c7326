package io.meshpilot.schemas;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of decoding a document: the record, or every problem found with the bytes. */
public sealed interface Decoded<T extends MeshRecord> {

    record Valid<T extends MeshRecord>(T record) implements Decoded<T> {
    }

    record Invalid<T extends MeshRecord>(List<FieldError> errors) implements Decoded<T> {

        public Invalid {
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid document has at least one error");
            }
            errors = List.copyOf(errors);
        }

        /** All errors on one line, e.g. {@code endpoints.ready: is required; region: must be ...}. */
        public String summary() {
            return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
        }
    }

    static <T extends MeshRecord> Decoded<T> invalid(FieldError error) {
        return new Invalid<>(List.of(error));
    }
}
