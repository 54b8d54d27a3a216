package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

/**
 * The function's credentials: from the environment, or — a SnapStart function, where the Java runtime sets
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} instead of the access-key
 * variables — from the container credentials endpoint (WireMock playing it, with its documented JSON response).
 */
class AwsClientsTest {
    @RegisterExtension
    static WireMockExtension endpoint = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    // The SDK reads these settings from system properties before the environment variables of the same meaning.
    static final String FULL_URI = "aws.containerCredentialsFullUri";
    static final String TOKEN = "aws.containerAuthorizationToken";

    @AfterEach
    void clear() {
        System.clearProperty(FULL_URI);
        System.clearProperty(TOKEN);
    }

    @Test
    void credentials_comeFromTheEnvironment_withoutAContainerEndpoint() {
        assertThat(AwsClients.credentials()).isInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }

    @Test
    void credentials_comeFromTheContainerEndpoint_whenSnapStartsRuntimeSetsIt() {
        endpoint.stubFor(WireMock.get(urlEqualTo("/2018-06-01/credentials")).willReturn(okJson("""
                {"AccessKeyId":"ASIASNAPSTARTEXAMPLE","SecretAccessKey":"container-secret",
                 "Token":"container-session-token","Expiration":"2099-01-01T00:00:00Z"}""")));
        System.setProperty(FULL_URI, "http://127.0.0.1:" + endpoint.getPort() + "/2018-06-01/credentials");
        System.setProperty(TOKEN, "snapstart-authorization-token");

        AwsCredentials credentials = AwsClients.credentials().resolveCredentials();

        assertThat(credentials.accessKeyId()).isEqualTo("ASIASNAPSTARTEXAMPLE");
        assertThat(credentials).isInstanceOfSatisfying(AwsSessionCredentials.class,
                c -> assertThat(c.sessionToken()).isEqualTo("container-session-token"));
        endpoint.verify(getRequestedFor(urlEqualTo("/2018-06-01/credentials"))
                .withHeader("Authorization", equalTo("snapstart-authorization-token")));
    }
}
