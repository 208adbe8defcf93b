package dev.pipescope.kernel;

/**
 * A cell magic an integration adds: it turns a cell that starts with {@code %%name args} into Java that
 * JShell then runs like any cell (so the cell's result, errors and notebook variables work as usual).
 */
@FunctionalInterface
public interface CellMagic {

    /**
     * @param args what follows {@code %%name} on the first line
     * @param body the rest of the cell
     * @return Java (JShell) source to evaluate in the cell's place
     */
    String toJava(String args, String body);
}
