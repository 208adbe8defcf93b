package dev.pipescope.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, enforced: every dependency points down, no package cycle, the
 * sources do not know one another, and the kernel knows nothing of Pipescope.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pipescope");
    }

    @Test
    void layersDependOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Api").definedBy(describe("the API package dev.pipescope",
                        c -> c.getPackageName().equals("dev.pipescope")))
                .layer("Domain").definedBy("dev.pipescope.domain..")
                .layer("Error").definedBy("dev.pipescope.error..")
                .layer("EngineContracts").definedBy("dev.pipescope.engine..")
                .layer("Engines").definedBy("dev.pipescope.sqlite..", "dev.pipescope.postgres..")
                .layer("SourceContracts").definedBy(describe("dev.pipescope.source",
                        c -> c.getPackageName().equals("dev.pipescope.source")))
                .layer("Sources").definedBy("dev.pipescope.source.(*)..")
                .layer("Store").definedBy("dev.pipescope.store..")
                .layer("Ops").definedBy("dev.pipescope.ops..")
                .layer("Demo").definedBy("dev.pipescope.demo..")
                .layer("Notebook").definedBy("dev.pipescope.notebook..")
                .layer("Cli").definedBy("dev.pipescope.cli..")
                .layer("Kernel").definedBy("dev.pipescope.kernel..")
                .whereLayer("Error").mayNotAccessAnyLayer()
                .whereLayer("Domain").mayOnlyAccessLayers("Error")
                .whereLayer("Api").mayOnlyAccessLayers("Domain", "Error")
                .whereLayer("EngineContracts").mayOnlyAccessLayers("Api", "Domain", "Error")
                .whereLayer("Engines").mayOnlyAccessLayers("Api", "Domain", "Error", "EngineContracts")
                .whereLayer("SourceContracts").mayOnlyAccessLayers("Api", "Domain", "Error", "EngineContracts")
                .whereLayer("Sources").mayOnlyAccessLayers("Api", "Domain", "Error", "EngineContracts", "Engines",
                        "SourceContracts")
                .whereLayer("Store").mayOnlyAccessLayers("Api", "Domain", "Error", "EngineContracts", "Engines",
                        "SourceContracts", "Sources")
                .whereLayer("Ops").mayOnlyAccessLayers("Api", "Domain", "Error", "EngineContracts", "Engines", "Store")
                .whereLayer("Demo").mayOnlyAccessLayers("Api", "Domain", "Error", "Ops")
                .whereLayer("Notebook").mayOnlyAccessLayers("Api", "Domain", "Error", "Ops", "Demo", "Kernel")
                .whereLayer("Cli").mayOnlyAccessLayers("Api", "Domain", "Error", "Ops", "Demo", "Kernel")
                .whereLayer("Kernel").mayNotAccessAnyLayer()
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.pipescope.(**)").should().beFreeOfCycles().check(classes);
    }

    /** The engines sit beside each other: SQLite's and PostgreSQL's code share only the engine contracts below them. */
    @Test
    void enginesDoNotKnowOneAnother() {
        noClasses().that().resideInAPackage("dev.pipescope.sqlite..")
                .should().dependOnClassesThat().resideInAPackage("dev.pipescope.postgres..").check(classes);
        noClasses().that().resideInAPackage("dev.pipescope.postgres..")
                .should().dependOnClassesThat().resideInAPackage("dev.pipescope.sqlite..").check(classes);
    }

    /** Run history keeps the adaptive pipeline's latest-run metrics in step, so it may use that source. */
    @Test
    void sourcesDoNotKnowOneAnother() {
        slices().matching("dev.pipescope.source.(*)..").should().notDependOnEachOther()
                .ignoreDependency(resideInAPackage("dev.pipescope.source.runs.."),
                        resideInAPackage("dev.pipescope.source.pipeline.."))
                .check(classes);
    }

    /** Above the storage engine, code reaches a database through the API, never an implementation class. */
    @Test
    void nothingAboveStorageNamesAnImplementationClass() {
        noClasses().that().resideInAnyPackage("dev.pipescope.ops..", "dev.pipescope.demo..",
                        "dev.pipescope.notebook..", "dev.pipescope.cli..")
                .should().dependOnClassesThat().haveSimpleNameStartingWith("Sqlite")
                .andShould().dependOnClassesThat().haveSimpleNameStartingWith("Postgres")
                .andShould().dependOnClassesThat().resideInAPackage("dev.pipescope.source..")
                .check(classes);
    }
}
