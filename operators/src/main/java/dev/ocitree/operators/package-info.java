/**
 * Reusable, non-blocking {@code Flux} stages for container layers: decompression, tar parsing and
 * digests. Stages here know nothing about registries, repositories or the CLI; each is a
 * {@code Function<Flux<In>, Flux<Out>>} applied with {@code transform}, and documents who releases
 * every {@code ByteBuf} it receives or emits.
 */
package dev.ocitree.operators;
