package io.jobwatch.servicenow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.incident.IncidentAction;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The Table API request bodies and query strings (shapes as in examples/servicenow), shared by both gateways. */
final class TableApiBodies {
    static final String TABLE_PATH = "/api/now/table/incident";
    /** Fields asked back: just enough for the ticket. */
    static final String RETURN_FIELDS = "sys_id,number,state";
    static final String LOOKUP_FIELDS = "sys_id,number,state,correlation_id";
    static final String STATE_IN_PROGRESS = "2";
    static final String STATE_RESOLVED = "6";

    private final ObjectMapper mapper;
    private final IncidentDefaults fields;

    TableApiBodies(ObjectMapper mapper, IncidentDefaults fields) {
        this.mapper = mapper;
        this.fields = fields;
    }

    /**
     * Active incidents with this correlation id that are not resolved, closed or canceled, newest first. Resolved
     * incidents stay active in the base system until closed, hence the state condition.
     */
    static String lookupQuery(String correlationId) {
        return "correlation_id=" + correlationId + "^active=true^stateNOT IN6,7,8^ORDERBYDESCsys_created_on";
    }

    static String lookupQueryString(String correlationId) {
        return "sysparm_query=" + enc(lookupQuery(correlationId)) + "&sysparm_fields=" + enc(LOOKUP_FIELDS)
                + "&sysparm_limit=1&sysparm_exclude_reference_link=true";
    }

    /** The newest incident of a correlation id in any state (a Reopen whose sys_id is not known). */
    static String latestQuery(String correlationId) {
        return "correlation_id=" + correlationId + "^ORDERBYDESCsys_created_on";
    }

    static String latestQueryString(String correlationId) {
        return "sysparm_query=" + enc(latestQuery(correlationId)) + "&sysparm_fields=" + enc(LOOKUP_FIELDS)
                + "&sysparm_limit=1&sysparm_exclude_reference_link=true";
    }

    static String writeQueryString() {
        return "sysparm_fields=" + enc(RETURN_FIELDS) + "&sysparm_exclude_reference_link=true";
    }

    ObjectNode create(IncidentAction.Open open) {
        ObjectNode b = mapper.createObjectNode();
        b.put("short_description", open.title());
        b.put("description", open.description());
        b.put("correlation_id", open.correlationId());
        b.put("correlation_display", open.correlationDisplay());
        if (fields.callerId() != null) {
            b.put("caller_id", fields.callerId());
        }
        if (fields.category() != null) {
            b.put("category", fields.category());
        }
        if (open.assignmentGroup() != null) {
            b.put("assignment_group", open.assignmentGroup());
        }
        b.put("urgency", Integer.toString(open.urgency()));
        b.put("impact", Integer.toString(open.impact()));
        b.put("work_notes", open.workNote());
        return b;
    }

    ObjectNode workNote(String note) {
        ObjectNode b = mapper.createObjectNode();
        b.put("work_notes", note);
        return b;
    }

    ObjectNode resolve(IncidentAction.Resolve resolve) {
        ObjectNode b = mapper.createObjectNode();
        b.put("state", STATE_RESOLVED);
        b.put("close_code", fields.closeCode());
        b.put("close_notes", resolve.closeNotes());
        b.put("work_notes", resolve.workNote());
        return b;
    }

    ObjectNode reopen(IncidentAction.Reopen reopen) {
        ObjectNode b = mapper.createObjectNode();
        b.put("state", STATE_IN_PROGRESS);
        b.put("work_notes", reopen.workNote());
        return b;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
