package io.jobwatch.servicenow;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceNowSettingsTest {
    @Test
    void noUrlAnywhere_meansNoServiceNow() {
        assertThat(ServiceNowSettings.fromEnv(Map.of(), null)).isEmpty();
    }

    @Test
    void userAndPassword_giveBasicAuth_andTheUrlLosesItsTrailingSlash() {
        ServiceNowSettings s = ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://acme.service-now.com/",
                "SERVICENOW_USER", "svc", "SERVICENOW_PASSWORD", "pw"), null).orElseThrow();
        assertThat(s.instance()).isEqualTo(URI.create("https://acme.service-now.com"));
        assertThat(s.credentials()).isEqualTo(new Credentials.Basic("svc", "pw"));
        assertThat(s.fields().closeCode()).isEqualTo("Solution provided");
    }

    @Test
    void token_givesBearerAuth() {
        ServiceNowSettings s = ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://acme.service-now.com",
                "SERVICENOW_TOKEN", "t0k"), null).orElseThrow();
        assertThat(s.credentials().authorizationHeader()).isEqualTo("Bearer t0k");
    }

    @Test
    void environment_overridesTheCatalogSection_keepingItsFields() {
        ServiceNowSettings catalog = ServiceNowSettings.of("https://test.service-now.com", new Credentials.Basic("a", "b"))
                .withFields(new IncidentDefaults("caller", "Software", "Workaround provided"));
        ServiceNowSettings s = ServiceNowSettings.fromEnv(Map.of("SERVICENOW_TOKEN", "t"), catalog).orElseThrow();
        assertThat(s.instance()).isEqualTo(URI.create("https://test.service-now.com"));
        assertThat(s.credentials()).isEqualTo(new Credentials.Bearer("t"));
        assertThat(s.fields().category()).isEqualTo("Software");
        assertThat(ServiceNowSettings.fromEnv(Map.of(), catalog)).contains(catalog);
    }

    @Test
    void missingOrConflictingCredentials_sayWhatToSet() {
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://acme.service-now.com"), null))
                .hasMessage("SERVICENOW_URL is set but no credentials are: set SERVICENOW_USER and SERVICENOW_PASSWORD (basic) or SERVICENOW_TOKEN (bearer)");
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://acme.service-now.com",
                "SERVICENOW_USER", "svc"), null))
                .hasMessage("SERVICENOW_USER is set but SERVICENOW_PASSWORD is not: set both for basic auth");
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://acme.service-now.com",
                "SERVICENOW_USER", "svc", "SERVICENOW_PASSWORD", "pw", "SERVICENOW_TOKEN", "t"), null))
                .hasMessage("set either SERVICENOW_TOKEN (bearer) or SERVICENOW_USER and SERVICENOW_PASSWORD (basic), not both");
    }

    @Test
    void badUrl_isRejectedWithAnExample() {
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "acme.service-now.com",
                "SERVICENOW_TOKEN", "t"), null))
                .hasMessage("SERVICENOW_URL must be an http(s) URL like https://example.service-now.com, got 'acme.service-now.com'");
    }

    @Test
    void toString_hidesSecrets() {
        ServiceNowSettings s = ServiceNowSettings.of("https://acme.service-now.com", new Credentials.Basic("svc", "hunter2"));
        assertThat(s.toString()).contains("svc", "****").doesNotContain("hunter2");
        assertThat(new Credentials.Bearer("tok").toString()).isEqualTo("Bearer[token=****]");
    }
}
