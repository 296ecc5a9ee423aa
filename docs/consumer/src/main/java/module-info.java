/**
 * A jring application on the module path: {@code requires io.github.jring.nvme}, which brings the core and bindings
 * modules with it ({@code requires transitive}).
 */
module io.github.jring.consumer {
    requires io.github.jring.nvme;
}
