package dev.ocitree.oci;

import dev.ocitree.operators.OcitreeException;

/** An OCI or Docker file (index, manifest, config, archive) is malformed; the message names the file and the cause. */
public class OciFormatException extends OcitreeException {

    private static final long serialVersionUID = 1L;

    private final String file;

    public OciFormatException(String file, String cause) {
        super(file + ": " + cause);
        this.file = file;
    }

    public OciFormatException(String file, String cause, Throwable throwable) {
        super(file + ": " + cause, throwable);
        this.file = file;
    }

    /** The file (or archive member) that is malformed, as the user would locate it. */
    public String file() {
        return file;
    }
}
