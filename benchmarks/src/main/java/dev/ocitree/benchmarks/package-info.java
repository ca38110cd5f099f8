/**
 * The end-to-end benchmark harness ({@code benchmarks/run.sh}): builds deterministic OCI test images
 * from a seed, runs ocitree's import and the real tools on them in one run, alternating, and reports
 * median wall time, CPU time and peak RSS with the ratios of issue 6 ({@code docs/benchmarks.json},
 * {@code docs/benchmarks.png}).
 *
 * <p>Only {@link dev.ocitree.benchmarks.Main} is public; the measured commands themselves are the
 * shell scripts in {@code benchmarks/peers/}, so every figure can be reproduced by hand.
 */
package dev.ocitree.benchmarks;
