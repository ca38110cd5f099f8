package dev.ocitree.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One measured way of bringing an image into an OSTree repository (or only decompressing it): a tool
 * and a repository mode, and the {@code benchmarks/peers/*.sh} command line that does it.
 *
 * @param tool {@code ocitree}, {@code ostree-tar}, {@code ostree-ext}, {@code umoci}, {@code floor} or
 *     {@code unpack}
 * @param mode the repository mode ({@code bare-user-only}, {@code bare-user}, {@code archive}), null for the floors
 */
record Contender(String tool, String mode) {
    static final String TARGET_MODE = "bare-user-only";

    /** The matrix: ocitree and {@code ostree commit --tree=tar=} in each of {@code modes}, the rest in bare-user-only. */
    static List<Contender> matrix(List<String> tools, List<String> modes) {
        List<Contender> all = new ArrayList<>();
        for (String t : tools) {
            switch (t) {
                case "ocitree", "ostree-tar" -> {
                    for (String m : modes) {
                        all.add(new Contender(t, m));
                    }
                }
                case "floor", "unpack" -> all.add(new Contender(t, null));
                default -> all.add(new Contender(t, TARGET_MODE));
            }
        }
        return all;
    }

    String label() {
        return mode == null ? tool : tool + " " + mode;
    }

    boolean needsRepo() {
        return mode != null;
    }

    /** What the chart and table call it. */
    String describe() {
        return switch (tool) {
            case "ocitree" -> "ocitree import";
            case "ostree-tar" -> "ostree commit --tree=tar= per layer";
            case "ostree-ext" -> "ostree-ext way: per-layer commit + union checkout --whiteouts + commit";
            case "umoci" -> "umoci unpack + ostree commit --tree=dir=";
            case "unpack" -> "unpack floor: pigz -d / zstd -d | tar -x, the files alone";
            default -> "floor: decompression alone (pigz -d / zstd -d to /dev/null)";
        };
    }

    /** The command line to measure. */
    List<String> command(Path peers, Image image, Path repo, Path scratch, int parallelism) {
        List<String> cmd = new ArrayList<>(List.of("bash", peers.resolve(tool + ".sh").toString()));
        switch (tool) {
            case "ocitree" -> cmd.addAll(List.of(repo.toString(), image.ociRef()));
            case "ostree-tar" -> {
                cmd.add(repo.toString());
                image.layers().forEach(l -> cmd.add(l.blob().toString()));
            }
            case "ostree-ext" -> {
                cmd.addAll(List.of(repo.toString(), scratch.toString()));
                image.layers().forEach(l -> cmd.add(l.blob().toString()));
            }
            case "umoci" -> cmd.addAll(List.of(repo.toString(), scratch.toString(), image.layout() + ":" + image.tag()));
            case "floor" -> {
                cmd.addAll(List.of(Integer.toString(parallelism), image.compression()));
                image.layers().forEach(l -> cmd.add(l.blob().toString()));
            }
            case "unpack" -> {
                cmd.addAll(List.of(scratch.toString(), Integer.toString(parallelism), image.compression()));
                image.layers().forEach(l -> cmd.add(l.blob().toString()));
            }
            default -> throw new IllegalArgumentException("unknown tool " + tool);
        }
        return cmd;
    }

    /** The ref whose root tree the run produced (the merged image), or null when there is no single tree. */
    String mergedRef(Image image, List<String> refs) {
        return switch (tool) {
            case "ostree-ext", "umoci" -> "merged";
            case "ostree-tar" -> image.layers().size() == 1 ? "layer/1" : null;
            case "ocitree" -> refs.stream().filter(r -> r.startsWith("ostree/container/image/")).findFirst()
                    .orElse(refs.stream().filter(r -> !r.startsWith("ostree/container/blob/")).findFirst().orElse(null));
            default -> null;
        };
    }
}
