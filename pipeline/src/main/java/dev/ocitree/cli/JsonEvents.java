package dev.ocitree.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocitree.imports.ImageStore;
import dev.ocitree.imports.ImportEvent;
import dev.ocitree.imports.ImportResult;
import dev.ocitree.imports.LayerResult;

/**
 * The JSON lines of {@code --json}: one object per line, {@code "event"} naming what it is
 * ({@code Resolved}, {@code LayerStarted}, {@code LayerProgress}, {@code LayerDone}, {@code Skipped},
 * {@code Merged}, {@code Restored}, {@code Done}, {@code Error}) for imports; plain objects for listings.
 */
final class JsonEvents {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonEvents() {
    }

    /** {@code {"event":"Error","message":...,"exit":N}}. */
    static String error(String message, int exit) {
        return MAPPER.createObjectNode().put("event", "Error").put("message", message).put("exit", exit).toString();
    }

    static String event(ImportEvent event) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("event", event.getClass().getSimpleName());
        if (event instanceof ImportEvent.Resolved e) {
            n.put("image", e.image().source());
            n.put("manifestDigest", e.image().manifestDigest());
            n.put("layers", e.image().layers().size());
        } else if (event instanceof ImportEvent.LayerStarted e) {
            n.put("index", e.index()).put("digest", e.digest()).put("size", e.size());
        } else if (event instanceof ImportEvent.LayerProgress e) {
            n.put("index", e.index()).put("digest", e.digest()).put("bytesRead", e.bytesRead()).put("size", e.size());
        } else if (event instanceof ImportEvent.LayerDone e) {
            layer(n.put("index", e.index()), e.layer());
        } else if (event instanceof ImportEvent.Skipped e) {
            n.put("layer", e.layer()).put("skipped", e.what());
        } else if (event instanceof ImportEvent.Merged e) {
            n.put("commit", e.commit().hex());
        } else if (event instanceof ImportEvent.Restored e) {
            n.put("commit", e.restored().commit().hex()).put("source", e.restored().source());
            e.restored().refs().forEach(n.withArray("refs")::add);
        } else if (event instanceof ImportEvent.Done e) {
            ImportResult r = e.result();
            n.put("image", r.imageName()).put("ref", r.imageRef()).put("manifestDigest", r.manifestDigest())
                    .put("commit", r.commit().hex()).put("branch", r.branch()).put("bytesRead", r.bytesRead());
            r.layers().forEach(l -> layer(n.withArray("layers").addObject(), l));
            r.skipped().forEach(n.withArray("skipped")::add);
        }
        return n.toString();
    }

    static String image(ImageStore.ImageInfo i) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", i.name()).put("ref", i.ref()).put("manifestDigest", i.manifestDigest())
                .put("commit", i.commit().hex()).put("size", i.size());
        i.layers().forEach(n.withArray("layers")::add);
        return n.toString();
    }

    static String layer(ImageStore.LayerInfo l) {
        return MAPPER.createObjectNode().put("digest", l.digest()).put("ref", l.ref()).put("commit", l.commit().hex())
                .put("images", l.usedBy()).toString();
    }

    private static void layer(ObjectNode n, LayerResult l) {
        n.put("digest", l.digest()).put("diffId", l.diffId()).put("commit", l.commit().hex())
                .put("reused", l.reused()).put("bytesRead", l.bytesRead());
    }
}
