package dev.imagegallery.metrics;

import dev.imagegallery.api.Condition.ConditionStatus;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.AggregatedState;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.EndOfLifeCondition;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How many image versions, target regions and replicas are in each replication state, and how many
 * versions are past their end of life, read from the versions' statuses. Every state has a count,
 * zero included, so that a dashboard or an alert never mistakes "none" for "unknown". A version
 * (or region, or replica) the operator has not yet given a state counts as Unknown. Pure.
 */
public record VersionCounts(
        Map<AggregatedState, Long> versions,
        Map<RegionState, Long> regions,
        Map<RegionState, Long> replicas,
        long endOfLife) {

    public static VersionCounts of(Stream<ImageVersion> imageVersions) {
        Map<AggregatedState, Long> versions = zeros(AggregatedState.class);
        Map<RegionState, Long> regions = zeros(RegionState.class);
        Map<RegionState, Long> replicas = zeros(RegionState.class);
        long endOfLife = 0;
        for (ImageVersion version : (Iterable<ImageVersion>) imageVersions::iterator) {
            ImageVersionStatus status = version.getStatus();
            var replication = status == null ? null : status.replicationStatus;
            versions.merge(
                    replication == null || replication.aggregatedState == null
                            ? AggregatedState.Unknown
                            : replication.aggregatedState,
                    1L,
                    Long::sum);
            for (RegionReplication region : listOrEmpty(replication == null ? null : replication.summary)) {
                regions.merge(stateOrUnknown(region.state), 1L, Long::sum);
                for (Replica replica : listOrEmpty(region.replicas)) {
                    replicas.merge(stateOrUnknown(replica.state), 1L, Long::sum);
                }
            }
            var endOfLifeCondition =
                    Conditions.find(status == null ? null : status.conditions, EndOfLifeCondition.TYPE);
            if (endOfLifeCondition != null && endOfLifeCondition.status == ConditionStatus.True) {
                endOfLife++;
            }
        }
        return new VersionCounts(versions, regions, replicas, endOfLife);
    }

    private static <E extends Enum<E>> Map<E, Long> zeros(Class<E> states) {
        Map<E, Long> counts = new EnumMap<>(states);
        for (E state : states.getEnumConstants()) {
            counts.put(state, 0L);
        }
        return counts;
    }

    private static RegionState stateOrUnknown(RegionState state) {
        return state == null ? RegionState.Unknown : state;
    }

    private static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
