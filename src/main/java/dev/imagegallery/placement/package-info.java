/**
 * Replica placement: which store, in which zone, holds each replica of an image version.
 *
 * <p>{@link dev.imagegallery.placement.PlacementEngine#place PlacementEngine.place} takes plain values
 * the controller reads from the custom resources (no Kubernetes types) and returns a decision per
 * target region. {@link dev.imagegallery.placement.StoreLoads#aggregate StoreLoads.aggregate} sums
 * placements per store: without the version being placed, for its input; with every version, for a
 * Region's status ({@link dev.imagegallery.placement.StoreLoads#usageOf usageOf}).
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>Eligible stores.</b> Only stores offering the requested storage type hold replicas.
 *       Standard_ZRS is refused in a region without zones.
 *   <li><b>Zones first.</b> A new replica goes to a zone holding the fewest of the version's replicas
 *       among zones that have an eligible store with room, so zones differ by at most one replica where
 *       the stores allow. Zone balance comes before one-replica-per-store, because a zone outage takes
 *       all its stores at once: in a zone with fewer eligible stores than its share, a store takes a
 *       second replica even while another zone has an empty store.
 *   <li><b>Then stores.</b> Within a zone: the store holding the fewest of the version's replicas, then
 *       the lowest bytes used over capacity (an unlimited store counts as 0), then the fewest replicas of
 *       all versions, then a hash of the version key and store name, so equal stores are chosen
 *       differently by different versions. A store therefore holds a second replica of a version only
 *       when every other eligible store of its zone holds as many or has no room; in a regular
 *       catalogue, only when the region has fewer eligible stores than replicas.
 *   <li><b>Capacity.</b> Never exceeded: bytes of other versions plus this version's replicas on a store
 *       times its size stay within the store's capacity.
 *   <li><b>Stability.</b> A current replica stays where it is while its store exists, offers the type
 *       and has room (lower indexes claim room first). A higher count adds replicas at the lowest free
 *       indexes. A lower count removes the replica in the most crowded zone, then the most crowded store,
 *       then the one with the highest index. A replica whose store became invalid is dropped and a new one
 *       placed like any other.
 *   <li><b>Independence.</b> A region is decided from its own request, catalogue entry, current replicas
 *       and store loads only, so changing one region never moves replicas in another.
 *   <li><b>Failures.</b> A region that cannot hold what it asks (unknown region, Standard_ZRS without
 *       zones, no store of the type, not enough room) fails alone, with a cause and a reason in words
 *       naming region, type and numbers. It keeps its still-valid current replicas and gets no new ones:
 *       a region is never left half-grown. The other regions are placed.
 * </ol>
 */
package dev.imagegallery.placement;
