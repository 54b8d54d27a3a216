package io.jobwatch.reconcile.aws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The clients the run sources use, one per service, account and region, made on first use and closed together: a
 * {@link SignedJsonClient} per service (the SDK's signer, HTTP client and adaptive retry strategy — backoff and
 * client-side rate limiting after throttling — without the services' SDK modules) over one URLConnection HTTP client.
 * In another account the clients act through the read-only role that the member-account stack creates
 * ({@value #DEFAULT_ROLE_NAME}), assumed with the SDK's STS client and an external id.
 */
public final class MemberClients implements AutoCloseable {
    /** The role the member-account stack creates for the reconciler (see infra's MemberAccountStack). */
    public static final String DEFAULT_ROLE_NAME = "JobwatchReconcilerReadOnly";
    /** Endpoint override keys: the SDK's service names of the registered listers' services, and {@code sts}. */
    public static final Set<String> SERVICES = services();

    /**
     * How to reach the services.
     *
     * @param credentials       the caller's own credentials (default chain, profile, or static in tests)
     * @param assumeRole        true: act in each account through {@code roleName} (cross-account); false: use
     *                          {@code credentials} directly (the caller is in the account, or a local stand-in)
     * @param roleName          the read-only role's name in each member account
     * @param externalId        the external id the role's trust policy requires; required with assumeRole
     * @param partition         ARN partition of the accounts (aws, aws-cn, aws-us-gov)
     * @param endpointOverrides service name ({@link #SERVICES}) → endpoint, e.g. a WireMock stand-in
     * @param throttlingBackoff base delay of the backoff after a throttling error, or null for the SDK's adaptive
     *                          default (local stand-ins use a short one)
     */
    public record Settings(AwsCredentialsProvider credentials, boolean assumeRole, String roleName, String externalId,
                           String partition, Map<String, URI> endpointOverrides, Duration throttlingBackoff) {
        public Settings {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(roleName, "roleName");
            Objects.requireNonNull(partition, "partition");
            endpointOverrides = Map.copyOf(endpointOverrides);
            for (String service : endpointOverrides.keySet()) {
                if (!SERVICES.contains(service)) {
                    throw new IllegalArgumentException("unknown service '" + service + "' in an endpoint override; use one of "
                            + String.join(", ", SERVICES.stream().sorted().toList()));
                }
            }
            if (assumeRole && (externalId == null || externalId.isBlank())) {
                throw new IllegalArgumentException("assuming " + roleName + " needs the external id its trust policy"
                        + " requires (the member-account stack's reconcileExternalId)");
            }
        }

        /** Cross-account through the default role in the aws partition. */
        public static Settings crossAccount(AwsCredentialsProvider credentials, String externalId) {
            return new Settings(credentials, true, DEFAULT_ROLE_NAME, externalId, "aws", Map.of(), null);
        }

        /** The caller's own credentials, no role (same account, or a local stand-in via endpoint overrides). */
        public static Settings direct(AwsCredentialsProvider credentials, Map<String, URI> endpointOverrides) {
            return new Settings(credentials, false, DEFAULT_ROLE_NAME, null, "aws", endpointOverrides, null);
        }

        /** The same settings with a shorter (or longer) backoff after throttling. */
        public Settings withThrottlingBackoff(Duration base) {
            return new Settings(credentials, assumeRole, roleName, externalId, partition, endpointOverrides, base);
        }
    }

    private record Key(String account, String region) {
    }

    private static Set<String> services() {
        Set<String> out = new java.util.TreeSet<>(AwsRunSources.serviceIds());
        out.add("sts");
        return java.util.Collections.unmodifiableSet(out);
    }

    private record ServiceKey(String service, String account, String region) {
    }

    private final Settings settings;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
    private final Map<Key, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();
    private final Map<ServiceKey, SignedJsonClient> signedJson = new ConcurrentHashMap<>();
    private final List<SdkAutoCloseable> toClose = new ArrayList<>();

    public MemberClients(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The signed JSON client of a service in an account and region, with that account's credentials (the assumed
     * role) and the adaptive retry policy.
     */
    SignedJsonClient signedJson(AwsService service, String account, String region) {
        return signedJson.computeIfAbsent(new ServiceKey(service.id(), account, region), k -> {
            URI endpoint = settings.endpointOverrides().get(service.id());
            if (endpoint == null) {
                String domain = settings.partition().equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
                endpoint = URI.create("https://" + service.endpointPrefix() + "." + region + "." + domain);
            }
            RetryStrategy retry = signedJsonRetry();
            synchronized (toClose) {
                toClose.add(retry);
            }
            return new SignedJsonClient(http, endpoint, service.signingName(), service.label(), region,
                    credentialsFor(new Key(account, region)), retry);
        });
    }

    /** The ARN partition of the accounts (aws, aws-cn, aws-us-gov): run sources build task ARNs with it. */
    public String partition() {
        return settings.partition();
    }

    /**
     * The SDK's adaptive retry strategy for the signed JSON clients (what {@code RetryMode.ADAPTIVE_V2} gives an SDK
     * client): up to 3 attempts on throttling, 5xx and I/O errors, backing off (with the settings' throttling backoff
     * when given) and rate-limiting after throttling.
     */
    private RetryStrategy signedJsonRetry() {
        AdaptiveRetryStrategy.Builder b = DefaultRetryStrategy.adaptiveStrategyBuilder()
                .retryOnException(t -> t instanceof AwsApiException && ((AwsApiException) t).retryable())
                .treatAsThrottling(t -> t instanceof AwsApiException && ((AwsApiException) t).throttling())
                .maxAttempts(3);
        Duration base = settings.throttlingBackoff();
        if (base != null) {
            b.backoffStrategy(BackoffStrategy.exponentialDelay(base, base.multipliedBy(20)))
                    .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(base, base.multipliedBy(20)));
        }
        return b.build();
    }

    /** The role ARN the clients of {@code account} act through. */
    public String roleArn(String account) {
        return "arn:" + settings.partition() + ":iam::" + account + ":role/" + settings.roleName();
    }

    /** STS: retries throttled calls with backoff and slows the client down (adaptive mode), at most 3 attempts. */
    private ClientOverrideConfiguration overrides() {
        Duration base = settings.throttlingBackoff();
        if (base == null) {
            return ClientOverrideConfiguration.builder().retryStrategy(RetryMode.ADAPTIVE_V2).build();
        }
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(base, base.multipliedBy(20)))
                .build()).build();
    }

    private AwsCredentialsProvider credentialsFor(Key key) {
        if (!settings.assumeRole()) {
            return settings.credentials();
        }
        // The role is global (IAM), but STS is asked in the scope's region (regional endpoint).
        return credentials.computeIfAbsent(key, (Function<Key, AwsCredentialsProvider>) k -> {
            StsClient sts = build(StsClient.builder(), "sts", new Key("caller", k.region()), settings.credentials());
            StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(r -> r.roleArn(roleArn(k.account())).externalId(settings.externalId())
                            .roleSessionName("jobwatch-reconcile").durationSeconds(900))
                    .build();
            synchronized (toClose) {
                toClose.add(provider);
            }
            return provider;
        });
    }

    private StsClient build(software.amazon.awssdk.services.sts.StsClientBuilder builder, String service, Key key,
                            AwsCredentialsProvider callerCredentials) {
        builder.httpClient(http).region(Region.of(key.region())).overrideConfiguration(overrides())
                .credentialsProvider(callerCredentials);
        URI endpoint = settings.endpointOverrides().get(service);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        StsClient client = builder.build();
        synchronized (toClose) {
            toClose.add(client);
        }
        return client;
    }

    @Override
    public void close() {
        synchronized (toClose) {
            for (SdkAutoCloseable c : toClose) {
                c.close();
            }
            toClose.clear();
        }
        http.close();
    }
}
