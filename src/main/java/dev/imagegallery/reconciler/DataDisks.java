package dev.imagegallery.reconciler;

import dev.imagegallery.api.DataDiskDigest;
import dev.imagegallery.api.ImageVersionSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A version's data disks as the operator reads them: in LUN order. Pure. */
public final class DataDisks {
    private DataDisks() {}

    /** The data disks of {@code spec}, by LUN; none when it has none. */
    public static List<ImageVersionSpec.DataDisk> of(ImageVersionSpec spec) {
        return Optional.ofNullable(spec.dataDisks).orElse(List.of()).stream()
                .sorted(Comparator.comparing(d -> d.lun))
                .toList();
    }

    /** Their LUNs, in order. */
    public static List<Integer> luns(ImageVersionSpec spec) {
        return of(spec).stream().map(d -> d.lun).toList();
    }

    /** Each as a status names it ({@code make} gives the kind of entry), by LUN. */
    public static <T extends DataDiskDigest> List<T> digests(ImageVersionSpec spec, Supplier<T> make) {
        return of(spec).stream()
                .map(d -> {
                    T digest = make.get();
                    digest.lun = d.lun;
                    digest.sha256 = d.source.sha256;
                    digest.sizeBytes = d.source.sizeBytes;
                    return digest;
                })
                .toList();
    }
}
