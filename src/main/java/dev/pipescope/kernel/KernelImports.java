package dev.pipescope.kernel;

/**
 * Heads the one JShell snippet that holds the kernel's on-demand imports ({@code import static
 * dev.pipescope.kernel.KernelImports.*; import java.util.*; import java.io.*; ...}). JShell keys an import
 * snippet by its first import and replaces the snippet when a notebook imports that again; a snippet headed by
 * {@code import java.util.*;} would lose all its other imports to a cell's own {@code import java.util.*;}. A
 * notebook never imports this class, and it has no members, so importing it adds no names.
 */
public final class KernelImports {

    private KernelImports() {
    }
}
