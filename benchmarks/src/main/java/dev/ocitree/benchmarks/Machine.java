package dev.ocitree.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The machine and software a run measured on, for the report. */
record Machine(String cpu, int cores, long memoryMiB, String kernel, String jdk, Map<String, String> tools) {

    static Machine probe() {
        String cpu = "unknown";
        long mem = -1;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException e) {
            // not Linux: the report says unknown
        }
        String jdk = firstLine(Proc.sh(null, "java -version 2>&1 | sed -n 2p"));
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), mem,
                firstLine(Proc.run(null, "uname", "-sr")), jdk, Json.obj(
                        "ostree", firstLine(Proc.sh(null, "ostree --version | sed -n 2p | tr -d \" '\"")),
                        "umoci", firstLine(Proc.sh(null, "umoci --version")),
                        "pigz", firstLine(Proc.sh(null, "pigz --version 2>&1")),
                        "zstd", firstLine(Proc.sh(null, "zstd --version")),
                        "tar", firstLine(Proc.sh(null, "tar --version"))).entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue(),
                                (a, b) -> a, java.util.TreeMap::new)));
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").strip();
    }

    Map<String, Object> json() {
        return Json.obj("cpu", cpu, "cores", cores, "memoryMiB", memoryMiB, "kernel", kernel, "jdk", jdk,
                "tools", tools);
    }
}
