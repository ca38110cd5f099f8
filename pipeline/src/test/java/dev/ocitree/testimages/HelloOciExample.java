package dev.ocitree.testimages;

import java.nio.file.Path;

/**
 * The bundled example image {@code examples/hello-oci} (tag {@code latest}): two gzip layers, the
 * second rewrites a file, adds one and whites out one. {@code scripts/make-example.sh} regenerates
 * it; {@link HelloOciExampleTest} checks the committed copy is what this builder writes.
 */
public final class HelloOciExample {

    public static final String TAG = "latest";

    private HelloOciExample() {
    }

    public static ImageBuilder image() {
        LayerBuilder base = new LayerBuilder()
                .dir("etc")
                .file("etc/hello.conf", "greeting=hello\n")
                .dir("usr")
                .dir("usr/bin")
                .file("usr/bin/hello", "#!/bin/sh\ncat /usr/share/hello/message.txt\n", 0755, 0, 0)
                .symlink("usr/bin/hi", "hello")
                .dir("usr/share")
                .dir("usr/share/hello")
                .file("usr/share/hello/message.txt", "Hello from an OCI image, imported into OSTree by ocitree!\n")
                .file("usr/share/hello/obsolete.txt", "The second layer whites this file out.\n");
        LayerBuilder update = new LayerBuilder()
                .dir("etc")
                .file("etc/hello.conf", "greeting=hello, world\n")
                .dir("usr/share/hello")
                .whiteout("usr/share/hello/obsolete.txt")
                .file("usr/share/hello/added.txt", "Added by the second layer.\n");
        return new ImageBuilder().layer(base, LayerCompression.GZIP).layer(update, LayerCompression.GZIP);
    }

    /** {@code examples/hello-oci} of this checkout (tests run in the pipeline module's directory). */
    public static Path committedLayout() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../examples/hello-oci").normalize();
    }
}
