package io.jobwatch.servicenow;

/**
 * Per-instance values written on every incident (choice lists and references differ per instance).
 *
 * @param callerId  caller_id (a sys_user sys_id), or null to leave it to the instance
 * @param category  category, or null
 * @param closeCode close_code used when resolving; the base system's recent releases offer "Solution provided"
 */
public record IncidentDefaults(String callerId, String category, String closeCode) {
    public static final String DEFAULT_CLOSE_CODE = "Solution provided";

    public IncidentDefaults {
        if (closeCode == null || closeCode.isBlank()) {
            closeCode = DEFAULT_CLOSE_CODE;
        }
    }

    public static IncidentDefaults defaults() {
        return new IncidentDefaults(null, null, DEFAULT_CLOSE_CODE);
    }
}
