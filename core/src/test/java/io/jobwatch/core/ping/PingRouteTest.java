package io.jobwatch.core.ping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Healthchecks' slug routes (hc/api/urls.py) and their answers to bad URLs (hc/api/tests/test_ping_by_slug.py). */
class PingRouteTest {
    static final String KEY = "fin_Pk7vQ2xLr9ZsT4mW";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/ping/" + KEY + "/nightly-backup,        success",
        "/ping/" + KEY + "/nightly-backup/start,  start",
        "/ping/" + KEY + "/nightly-backup/fail,   fail",
        "/ping/" + KEY + "/nightly-backup/0,      exit 0",
        "/ping/" + KEY + "/nightly-backup/1,      exit 1",
        "/ping/" + KEY + "/nightly-backup/255,    exit 255",
        "/ping/" + KEY + "/sftp_pull-2,           success"})
    void slugRoutes_readTheSignal(String path, String state) {
        PingRoute.Parsed p = PingRoute.parse(path, null);
        assertThat(p.ok()).isTrue();
        assertThat(p.ping().key()).isEqualTo(KEY);
        assertThat(p.ping().signal().sourceState()).isEqualTo(state);
    }

    @Test
    void log_isASignalWithoutState_andRidIsKeptInLowerCase() {
        PingRoute.Parsed p = PingRoute.parse("/ping/" + KEY + "/nightly-backup/log", "5BF66975-D4C7-4BF5-BCC8-B8D8A82EA278");
        assertThat(p.ping().signal()).isInstanceOf(PingSignal.Log.class);
        assertThat(p.ping().signal().sourceState()).isNull();
        assertThat(p.ping().rid()).isEqualTo("5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/ping/" + KEY + "/nightly-backup/256 | | 400 | invalid url format: exit status 256 is over 255",
        "/ping/" + KEY + "/Nightly-Backup | | 400 | invalid url format: the slug 'Nightly-Backup' must be",
        "/ping/" + KEY + "/nightly-backup | not-a-uuid | 400 | invalid uuid format: rid must be a UUID",
        "/ping/" + KEY + " | | 404 | not found",
        "/ping/" + KEY + "/nightly-backup/stop | | 404 | not found: after the slug comes",
        "/ping/" + KEY + "/a/b/c | | 404 | not found",
        "/ping/" + KEY + "/nightly%20backup | | 404 | not found",
        "/events | | 404 | not found"})
    void badUrls_getHealthchecksStatus_andSayWhatToFix(String path, String rid, int status, String message) {
        PingRoute.Parsed p = PingRoute.parse(path, rid);
        assertThat(p.ok()).isFalse();
        assertThat(p.invalid().status()).isEqualTo(status);
        assertThat(p.invalid().message()).startsWith(message);
    }

    @Test
    void aPingPrinted_neverShowsItsKey() {
        assertThat(PingRoute.parse("/ping/" + KEY + "/nightly-backup", null).ping().toString()).doesNotContain(KEY);
    }
}
