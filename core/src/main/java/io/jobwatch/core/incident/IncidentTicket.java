package io.jobwatch.core.incident;

import java.util.Objects;

/**
 * An incident as ServiceNow knows it.
 *
 * @param sysId  the record's sys_id
 * @param number e.g. INC0010423
 * @param state  ServiceNow's state code as a string ("1" New, "2" In Progress, "6" Resolved …), or null if not returned
 */
public record IncidentTicket(String sysId, String number, String state) {
    public IncidentTicket {
        Objects.requireNonNull(sysId, "sysId");
    }
}
