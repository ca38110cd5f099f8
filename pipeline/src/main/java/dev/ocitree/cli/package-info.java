/** The {@code ocitree} command line (picocli): one class per subcommand. */
package dev.ocitree.cli;
