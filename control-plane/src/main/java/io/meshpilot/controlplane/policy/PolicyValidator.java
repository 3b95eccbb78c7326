package io.meshpilot.controlplane.policy;

import io.meshpilot.core.decision.MassDegradation;
import io.meshpilot.core.decision.Mode;
import io.meshpilot.core.decision.Policy;
import io.meshpilot.schemas.Decoded;
import io.meshpilot.schemas.FieldError;
import io.meshpilot.schemas.Names;
import io.meshpilot.schemas.PolicyMode;
import io.meshpilot.schemas.RecordCodec;
import io.meshpilot.schemas.TrafficPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a {@code TrafficPolicy} record: its key must be a scope, its bytes a valid document (schema: types, ranges,
 * no unknown field), its {@code scope} field (if any) equal to the key, and its drain list must leave a region
 * undrained. Every error is reported, each naming its field. Accepted policies resolve every default (SPEC §5).
 */
public final class PolicyValidator {

    private final RecordCodec codec = RecordCodec.get();

    /** @param knownRegions the regions that exist now, for the drain check */
    public PolicyVerdict judge(String key, byte[] value, Set<String> knownRegions) {
        List<FieldError> errors = new ArrayList<>();
        Names.scope(key).ifPresent(problem -> errors.add(new FieldError("key", "'" + key + "' " + problem)));
        Decoded<TrafficPolicy> decoded = codec.decode(value, TrafficPolicy.class);
        if (decoded instanceof Decoded.Invalid<TrafficPolicy> invalid) {
            errors.addAll(invalid.errors());
            return new PolicyVerdict.Rejected(errors);
        }
        TrafficPolicy policy = ((Decoded.Valid<TrafficPolicy>) decoded).record();
        if (policy.scope() != null && !policy.scope().equals(key)) {
            errors.add(new FieldError("scope", "must equal the record key '" + key + "', found '" + policy.scope()
                    + "'"));
        }
        if (policy.drain() != null && !knownRegions.isEmpty() && policy.drain().containsAll(knownRegions)) {
            errors.add(new FieldError("drain", "would drain every region " + new TreeSet<>(knownRegions)
                    + "; leave at least one to take the traffic"));
        }
        if (policy.expiresAt() != null && (policy.mode() == null || policy.mode() == PolicyMode.AUTO)) {
            errors.add(new FieldError("expiresAt", "only a pin expires: set mode to local, remote, balanced or "
                    + "unmanaged, or leave expiresAt out"));
        }
        massDegradationErrors(policy, errors);
        return errors.isEmpty()
                ? new PolicyVerdict.Accepted(resolve(key, policy), Optional.ofNullable(policy.expiresAt()))
                : new PolicyVerdict.Rejected(errors);
    }

    /** The rules a valid policy sets, its absent fields taking their defaults. */
    static Policy resolve(String scope, TrafficPolicy policy) {
        Policy defaults = Policy.DEFAULT;
        return new Policy(scope,
                policy.mode() == null ? Mode.AUTO : Mode.valueOf(policy.mode().name().toUpperCase(Locale.ROOT)),
                Objects.requireNonNullElse(policy.minReadyEndpoints(), defaults.minReadyEndpoints()),
                Objects.requireNonNullElse(policy.minReadyRatio(), defaults.minReadyRatio()),
                seconds(policy.failoverDelaySeconds(), defaults.failoverDelay()),
                seconds(policy.failbackDelaySeconds(), defaults.failbackDelay()),
                seconds(policy.staleAfterSeconds(), defaults.staleAfter()),
                Objects.requireNonNullElse(policy.failoverPriority(), List.of()),
                Objects.requireNonNullElse(policy.maxFailoverRegions(), 0),
                Set.copyOf(Objects.requireNonNullElse(policy.drain(), List.of())),
                seconds(policy.capacityWindowSeconds(), defaults.capacityWindow()),
                Objects.requireNonNullElse(policy.capacityFactor(), defaults.capacityFactor()),
                Objects.requireNonNullElse(policy.minExportingRegions(), defaults.minExportingRegions()),
                Objects.requireNonNullElse(policy.maxWithdrawnRegions(), defaults.maxWithdrawnRegions()),
                massDegradation(policy));
    }

    private static void massDegradationErrors(TrafficPolicy policy, List<FieldError> errors) {
        if (policy.massDegradationShare() == null) {
            if (policy.massDegradationWithinSeconds() != null) {
                errors.add(new FieldError("massDegradationWithinSeconds", "only with massDegradationShare"));
            }
            if (policy.massDegradationConfirmSeconds() != null) {
                errors.add(new FieldError("massDegradationConfirmSeconds", "only with massDegradationShare"));
            }
            return;
        }
        Duration within = seconds(policy.massDegradationWithinSeconds(), MassDegradation.DEFAULT_WITHIN);
        Duration confirm = seconds(policy.massDegradationConfirmSeconds(), MassDegradation.DEFAULT_CONFIRM_FOR);
        if (confirm.compareTo(within) < 0) {
            errors.add(new FieldError("massDegradationConfirmSeconds",
                    "must be at least massDegradationWithinSeconds"));
        }
    }

    /** The confirmation window as written (judged first); none without a share. */
    private static MassDegradation massDegradation(TrafficPolicy policy) {
        if (policy.massDegradationShare() == null) {
            return MassDegradation.NONE;
        }
        Duration within = seconds(policy.massDegradationWithinSeconds(), MassDegradation.DEFAULT_WITHIN);
        Duration confirm = seconds(policy.massDegradationConfirmSeconds(), MassDegradation.DEFAULT_CONFIRM_FOR);
        return new MassDegradation(policy.massDegradationShare(), within, confirm.compareTo(within) < 0 ? within
                : confirm);
    }

    private static Duration seconds(Integer seconds, Duration otherwise) {
        return seconds == null ? otherwise : Duration.ofSeconds(seconds);
    }
}
