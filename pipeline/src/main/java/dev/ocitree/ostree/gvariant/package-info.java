/**
 * GVariant serialisation in normal form, for the types OSTree stores (OSTREE-FORMAT.md §1).
 *
 * <p>{@link dev.ocitree.ostree.gvariant.Variant} is a typed value (type string + value tree) that
 * serialises to, and parses from, the exact normal-form bytes GLib produces. Parsing is strict: a
 * truncated buffer, a framing offset out of range or wider than needed, a non-zero padding byte, a
 * boolean other than 0/1, a string without its terminator or with invalid UTF-8 all raise a
 * {@link dev.ocitree.ostree.gvariant.GVariantException} naming the type and the byte offset. This is
 * what {@code ostree pull} enforces, so anything that parses here is accepted there.
 *
 * <p>Everything here is pure computation on byte arrays: no I/O, safe on any thread.
 */
package dev.ocitree.ostree.gvariant;
