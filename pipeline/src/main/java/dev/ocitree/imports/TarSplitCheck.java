package dev.ocitree.imports;

import dev.ocitree.tarsplit.TarSplitRecorder;

/**
 * Whether a layer commit holds every body its tar record refers to: each recorded body must have
 * been stored as it was recorded (the import's tar stage may drop or rename entries: the counts and
 * the {@linkplain TarSplitRecorder#bodySequence() hash of paths and sizes} must match) and no
 * later entry of the layer may have replaced a file ({@link LayerTree#firstReplaced()}). A layer
 * that fails keeps its record, with the reason beside it, and its export fails naming the layer.
 * Nothing per entry is kept for the check: the import's memory stays what it was.
 */
final class TarSplitCheck {

    private TarSplitCheck() {
    }

    /** Why the layer cannot round trip, or null when it can. */
    static String problem(TarSplitRecorder record, long storedBodies, long storedSequence, String replaced) {
        if (record.bodies() != storedBodies) {
            return "the import's tar stage dropped entries: " + storedBodies + " of the tar's " + record.bodies()
                    + " file bodies were stored";
        }
        if (record.bodySequence() != storedSequence) {
            return "the import's tar stage renamed or resized entries with content";
        }
        if (replaced != null) {
            return "a later entry of the layer replaced '" + replaced + "', so the layer commit does not hold"
                    + " every body of the tar";
        }
        return null;
    }
}
