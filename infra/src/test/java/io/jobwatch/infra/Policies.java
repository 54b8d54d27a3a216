package io.jobwatch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Flattens IAM policy statements of a template into readable "Effect action resource [conditions]" lines so tests can
 * compare a role's permissions with an exact expected set. Intrinsics render as ${Ref}, Id.Attr and joined text.
 */
final class Policies {

    private Policies() {
    }

    /** Every statement line of the AWS::IAM::Policy resources attached to the role, plus its inline policies. */
    static TreeSet<String> ofRole(JsonNode template, String roleLogicalId) {
        TreeSet<String> out = new TreeSet<>();
        JsonNode resources = template.get("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            if (r.get("Type").asText().equals("AWS::IAM::Policy")) {
                boolean attached = false;
                for (JsonNode role : r.at("/Properties/Roles")) {
                    attached |= roleLogicalId.equals(role.path("Ref").asText());
                }
                if (attached) {
                    out.addAll(lines(r.at("/Properties/PolicyDocument")));
                }
            }
        }
        for (JsonNode inline : resources.get(roleLogicalId).at("/Properties/Policies")) {
            out.addAll(lines(inline.get("PolicyDocument")));
        }
        return out;
    }

    /** All statement lines of all identity policies (policy resources and role inline policies) in the template. */
    static List<String> allIdentityStatements(JsonNode template) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : template.get("Resources")) {
            String type = r.get("Type").asText();
            if (type.equals("AWS::IAM::Policy")) {
                out.addAll(lines(r.at("/Properties/PolicyDocument")));
            } else if (type.equals("AWS::IAM::Role")) {
                for (JsonNode inline : r.at("/Properties/Policies")) {
                    out.addAll(lines(inline.get("PolicyDocument")));
                }
            }
        }
        return out;
    }

    static List<String> lines(JsonNode document) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : document.get("Statement")) {
            String condition = s.has("Condition") ? " " + render(s.get("Condition")) : "";
            for (JsonNode action : asList(s.get("Action"))) {
                for (JsonNode resource : asList(s.get("Resource"))) {
                    out.add(s.get("Effect").asText() + " " + action.asText() + " " + render(resource) + condition);
                }
            }
        }
        return out;
    }

    static List<JsonNode> asList(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    /** A JSON string of a template (e.g. a schedule's target input) as a tree. */
    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** Renders a template value: "text", {"Ref": X} → ${X}, {"Fn::GetAtt": [X, A]} → X.A, Fn::Join → joined. */
    static String render(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isObject() && v.has("Ref")) {
            return "${" + v.get("Ref").asText() + "}";
        }
        if (v.isObject() && v.has("Fn::GetAtt")) {
            return v.get("Fn::GetAtt").get(0).asText() + "." + v.get("Fn::GetAtt").get(1).asText();
        }
        if (v.isObject() && v.has("Fn::Join")) {
            StringBuilder b = new StringBuilder();
            JsonNode parts = v.get("Fn::Join").get(1);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    b.append(v.get("Fn::Join").get(0).asText());
                }
                b.append(render(parts.get(i)));
            }
            return b.toString();
        }
        if (v.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            v.fields().forEachRemaining(e -> sorted.put(e.getKey(), render(e.getValue())));
            return sorted.toString();
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(render(x)));
            return items.toString();
        }
        return v.asText();
    }
}
