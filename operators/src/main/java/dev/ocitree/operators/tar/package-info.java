/**
 * Tar parsing as a non-blocking stage: {@link dev.ocitree.operators.tar.TarParser#parse} turns a
 * {@code Flux<ByteBuf>} of uncompressed tar bytes into {@link dev.ocitree.operators.tar.TarEvent}s
 * (entry header, content slices, entry end). Inside, a Jackson-style push parser
 * ({@code TarPushParser}) decodes headers with commons-compress and applies PAX and GNU extension
 * records itself; content is passed on as retained slices of the input, never copied.
 */
package dev.ocitree.operators.tar;
