package dev.pipescope.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pipescope completion}: prints the bash completion script ({@code pipescope install} writes it
 * where bash-completion finds it). For one shell: {@code source <(pipescope completion)}; zsh reads it
 * after {@code autoload -U bashcompinit && bashcompinit}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the bash completion script: source <(pipescope completion)")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.print(Main.bashCompletion());
        out.flush();
        return ExitCodes.OK;
    }
}
