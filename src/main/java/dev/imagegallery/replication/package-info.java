/**
 * The byte-moving layer of replication, free of Kubernetes types so that a controller can drive it.
 *
 * <ul>
 *   <li>{@link dev.imagegallery.replication.ImageSource}: an image's bytes as a stream, from
 *       {@code file:///}, {@code http://} or {@code https://}, or from a store ({@code s3://} objects,
 *       {@code oci://} images by digest), with its size probed without reading.
 *   <li>{@link dev.imagegallery.replication.ObjectStore}: where replicas go, a directory, a WebDAV
 *       server, an S3 bucket or an OCI registry (one KubeVirt containerDisk image per version,
 *       {@link dev.imagegallery.replication.OciObjectStore}); its Javadoc gives the object layout and
 *       the digest marker.
 *   <li>{@link dev.imagegallery.replication.VerifiedCopier}: one verified copy, or none at all.
 *   <li>{@link dev.imagegallery.replication.CopyExecutor}: many copies, a slot each from the
 *       fair {@link dev.imagegallery.replication.CopyQueue}, with retries, per-replica state and a listener.
 *   <li>{@link dev.imagegallery.replication.ReplicationMetrics}: hooks for counters and timers.
 * </ul>
 *
 * Failures are {@link dev.imagegallery.replication.ReplicationException}s whose
 * {@link dev.imagegallery.replication.FailureReason} a controller can report as a condition reason.
 */
package dev.imagegallery.replication;
