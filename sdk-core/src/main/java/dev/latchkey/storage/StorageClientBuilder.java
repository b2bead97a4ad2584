package dev.latchkey.storage;

import dev.latchkey.audit.AuditSink;
import dev.latchkey.auth.internal.Endpoints;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.storage.internal.DefaultStorageClient;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Builder for a {@link StorageClient}; not thread-safe. Each setter checks its value at once, and
 * {@link #build()} checks that the options fit together.
 *
 * <p>Required: an {@link #identity}, a {@link #policy}, and a backend, given either built ({@link
 * #backend(StorageBackend)}) or as a factory ({@link #backend(StorageBackendFactory)}) together with
 * {@link #credentials} and, as the backend needs them, {@link #endpoint} and {@link #region}.
 */
public final class StorageClientBuilder {

  /** The connect timeout when none is set: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The read and write timeout when none is set: 60 seconds between bytes. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

  private WorkloadIdentity identity;
  private AccessPolicy policy;
  private final List<AuditSink> auditSinks = new ArrayList<>();
  private StorageBackend backend;
  private StorageBackendFactory backendFactory;
  private URI endpoint;
  private String region;
  private CredentialProvider<? extends Credential> credentials;
  private OkHttpClient httpClient;
  private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
  private Duration readTimeout = DEFAULT_READ_TIMEOUT;
  private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
  private InstantSource clock = InstantSource.system();
  private RetrySleeper retrySleeper = RetrySleeper.THREAD;
  private ClockSkew clockSkew = ClockSkew.create();
  private final Map<String, String> context = new LinkedHashMap<>();

  StorageClientBuilder() {}

  /** Sets the workload identity the client acts as; required. */
  public StorageClientBuilder identity(WorkloadIdentity identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    return this;
  }

  /** Sets the access policy checked before every call; required. Without a matching allow rule, calls are denied. */
  public StorageClientBuilder policy(AccessPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** Adds a sink for the client's audit events; with none, events go to the SLF4J logger {@code latchkey.audit}. */
  public StorageClientBuilder auditSink(AuditSink sink) {
    auditSinks.add(Objects.requireNonNull(sink, "sink"));
    return this;
  }

  /** Sets a backend that is already built. Excludes {@link #backend(StorageBackendFactory)}. */
  public StorageClientBuilder backend(StorageBackend backend) {
    this.backend = Objects.requireNonNull(backend, "backend");
    return this;
  }

  /** Sets the factory of the backend, which gets this builder's endpoint, region, credentials and HTTP client. */
  public StorageClientBuilder backend(StorageBackendFactory factory) {
    this.backendFactory = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Sets the service endpoint. It must use HTTPS unless its host is a loopback address: {@code
   * localhost}, an address in 127.0.0.0/8 or {@code ::1}, written literally, with no DNS lookup.
   *
   * @throws IllegalArgumentException if the URI is not an absolute http or https URI with a host,
   *     contains user information, or uses plain HTTP to another host
   */
  public StorageClientBuilder endpoint(URI endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (endpoint.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("Invalid endpoint '" + describe(endpoint)
          + "': give an absolute https URI such as https://s3.eu-west-1.amazonaws.com");
    }
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException("Invalid endpoint '" + describe(endpoint)
          + "': remove the user information from the URI and pass secrets with credentials(...)");
    }
    if (scheme.equals("http") && !Endpoints.isLoopback(endpoint.getHost())) {
      throw new IllegalArgumentException("Invalid endpoint '" + describe(endpoint)
          + "': use https; plain http is allowed only to loopback addresses such as 127.0.0.1");
    }
    this.endpoint = endpoint;
    return this;
  }

  /** Sets the signing region, such as {@code eu-west-1}. */
  public StorageClientBuilder region(String region) {
    Objects.requireNonNull(region, "region");
    if (region.isBlank()) {
      throw new IllegalArgumentException("Invalid region '" + region + "': name a region such as us-east-1");
    }
    this.region = region;
    return this;
  }

  /** Sets the source of credentials for a backend built from a factory, normally a CredentialCache. */
  public StorageClientBuilder credentials(CredentialProvider<? extends Credential> credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /**
   * Sets an OkHttp client to share with the rest of the application. The backend uses a client
   * derived from it, with this builder's timeouts and without redirects; a new client by default.
   */
  public StorageClientBuilder httpClient(OkHttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return this;
  }

  /** Sets the connect timeout, from 1 ms to 5 minutes; 10 seconds by default. */
  public StorageClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = checkTimeout("connectTimeout", timeout);
    return this;
  }

  /** Sets the timeout between two reads or writes of the socket, from 1 ms to 5 minutes; 60 seconds by default. */
  public StorageClientBuilder readTimeout(Duration timeout) {
    this.readTimeout = checkTimeout("readTimeout", timeout);
    return this;
  }

  /** Sets how retryable failures are retried; {@link RetryPolicy#DEFAULT} by default. */
  public StorageClientBuilder retryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    return this;
  }

  /**
   * Sets how the client waits between attempts; {@link RetrySleeper#THREAD} by default. Tests pass
   * one that records the waits or moves a fake clock.
   */
  public StorageClientBuilder retrySleeper(RetrySleeper sleeper) {
    this.retrySleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  /** Sets the clock for policy decisions, audit events and signing; the system clock by default. */
  public StorageClientBuilder clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Sets the clock-skew estimate to share with other clients of the same service. */
  public StorageClientBuilder clockSkew(ClockSkew clockSkew) {
    this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
    return this;
  }

  /** Adds a request-context attribute, such as {@code job=nightly-export}, that policy conditions can test. */
  public StorageClientBuilder contextAttribute(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Invalid context attribute name '': name the attribute");
    }
    context.put(name, value);
    return this;
  }

  /**
   * Builds the client.
   *
   * @throws IllegalStateException if the identity, the policy or the backend is missing, or if both a
   *     backend and a factory, or a factory without credentials, are given
   */
  public StorageClient build() {
    if (identity == null) {
      throw new IllegalStateException("A storage client needs an identity: call identity(WorkloadIdentity.of(\"name\"))");
    }
    if (policy == null) {
      throw new IllegalStateException("Storage client for '" + identity.name() + "' needs an access policy: call policy(...)");
    }
    return new DefaultStorageClient(identity, policy, List.copyOf(auditSinks), resolveBackend(), retryPolicy, clock, Map.copyOf(context),
        retrySleeper);
  }

  private StorageBackend resolveBackend() {
    if (backend != null && backendFactory != null) {
      throw new IllegalStateException("Give either a built backend or a backend factory, not both");
    }
    if (backend != null) {
      return backend;
    }
    if (backendFactory == null) {
      throw new IllegalStateException("Storage client for '" + identity.name() + "' needs a backend: call backend(...)");
    }
    if (credentials == null) {
      throw new IllegalStateException("A backend factory needs credentials: call credentials(...)");
    }
    BackendSettings settings = new BackendSettings(endpoint, region, credentials, configuredHttpClient(), clock, clockSkew);
    return backendFactory.create(settings);
  }

  private OkHttpClient configuredHttpClient() {
    OkHttpClient base = httpClient != null ? httpClient : new OkHttpClient();
    return base.newBuilder()
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .followRedirects(false)
        .build();
  }

  private static Duration checkTimeout(String name, Duration timeout) {
    Objects.requireNonNull(timeout, name);
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("Invalid " + name + " " + timeout + ": use 1 ms to 5 minutes");
    }
    return timeout;
  }

  /** Returns the endpoint for an error message, without user information, query or fragment. */
  private static String describe(URI endpoint) {
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (endpoint.getScheme() == null) {
      return endpoint.getHost() == null ? path : "//" + endpoint.getHost() + path;
    }
    return endpoint.getHost() == null ? endpoint.getScheme() + ":..." : Endpoints.describe(endpoint);
  }
}
