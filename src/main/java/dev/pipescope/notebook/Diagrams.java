package dev.pipescope.notebook;

import dev.pipescope.domain.ExecutionTree;
import dev.pipescope.domain.Pipeline;
import dev.pipescope.domain.PipelineStage;
import dev.pipescope.domain.TreeEdge;
import dev.pipescope.domain.TreeNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pictures of structure: a DAG's execution tree and a pipeline's stage chain, laid out by ELK. */
final class Diagrams {

    private final DaggerTables dagger;
    private final PipelineTables pipelines;
    private final EtlTables etl;
    private final CurrentDatabase current;

    Diagrams(DaggerTables dagger, PipelineTables pipelines, EtlTables etl, CurrentDatabase current) {
        this.dagger = dagger;
        this.pipelines = pipelines;
        this.etl = etl;
        this.current = current;
    }

    /** An ETL job's component graph as etl-core links it: a box per component, an arrow per link, port to port. */
    Chart etlGraph(String job) {
        var j = etl.job(job);
        var store = current.db().etl();
        var components = store.components(j.id());
        List<GraphLayout.Box> boxes = new ArrayList<>();
        Map<String, Integer> position = new HashMap<>();
        for (var component : components) {
            position.put(component.id(), boxes.size());
            boxes.add(new GraphLayout.Box(component.name(), component.compType(), "#dbeafe", "#1d4ed8",
                    component.name() + " (" + component.compType() + ")"
                            + (component.description().isBlank() ? "" : ": " + component.description())));
        }
        List<GraphLayout.Arrow> arrows = new ArrayList<>();
        for (var link : store.links(j.id())) {
            Integer from = position.get(link.srcComponentId());
            Integer to = position.get(link.dstComponentId());
            if (from == null || to == null) {
                throw new dev.pipescope.error.CorruptDataException("componentlinktable row " + link.id() + " in "
                        + current.where() + " links component " + (from == null ? link.srcComponentId()
                        : link.dstComponentId()) + ", which job " + j.name() + " does not have");
            }
            arrows.add(new GraphLayout.Arrow(from, to, link.srcOutPort() + " → " + link.dstInPort()));
        }
        String title = "Components of ETL job " + j.name();
        return new Chart(title, GraphLayout.draw(title, boxes, arrows, true));
    }

    Chart graph(String dag) {
        ExecutionTree tree = dagger.executionTree(dag);
        List<GraphLayout.Box> boxes = new ArrayList<>();
        Map<Integer, Integer> position = new HashMap<>();
        for (TreeNode node : tree.nodes()) {
            position.put(node.index(), boxes.size());
            String outcome = DaggerTables.outcome(node);
            String fill = switch (outcome) {
                case "failed" -> "#f8b4b4";
                case "retried" -> "#fde68a";
                default -> "#bbf7d0";
            };
            String stroke = switch (outcome) {
                case "failed" -> "#b91c1c";
                case "retried" -> "#b45309";
                default -> "#15803d";
            };
            int retries = node.retryMessages().size();
            String sub = outcome + (retries == 0 ? "" : ", " + retries + (retries == 1 ? " retry" : " retries"));
            String tip = node.nodeId() + ": " + outcome + node.finalError().map(e -> " — " + e).orElse("");
            boxes.add(new GraphLayout.Box(node.nodeId(), sub, fill, stroke, tip));
        }
        List<GraphLayout.Arrow> arrows = new ArrayList<>();
        for (TreeEdge edge : tree.edges()) {
            arrows.add(new GraphLayout.Arrow(position.get(edge.source()), position.get(edge.target()), edge.label()));
        }
        String title = "Execution tree of " + dag;
        return new Chart(title, GraphLayout.draw(title, boxes, arrows, false));
    }

    Chart pipelineDiagram(String pipeline) {
        Pipeline p = pipelines.pipeline(pipeline);
        List<GraphLayout.Box> boxes = new ArrayList<>();
        List<GraphLayout.Arrow> arrows = new ArrayList<>();
        for (PipelineStage stage : p.stages()) {
            String fill = stage.enabled() ? "#dbeafe" : "#e5e7eb";
            boxes.add(new GraphLayout.Box(stage.algorithm(), stage.stageType().dbValue() + " · " + stage.name(), fill,
                    "#1d4ed8", stage.name() + " (" + stage.stageType().dbValue() + ")"
                            + (stage.enabled() ? "" : " disabled")));
            if (boxes.size() > 1) {
                arrows.add(new GraphLayout.Arrow(boxes.size() - 2, boxes.size() - 1, null));
            }
        }
        String title = "Pipeline " + p.name() + (p.archived() ? " (archived)" : "");
        return new Chart(title, GraphLayout.draw(title, boxes, arrows, true));
    }
}
