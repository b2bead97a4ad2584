package dev.latchkey.testkit;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.io.ByteArrayInputStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local sandbox of real servers on 127.0.0.1 with ephemeral ports, for tests, examples and the demo:
 * an OpenID Connect issuer ({@link OidcIssuer}) that also serves the Entra ID tenant {@link
 * #ENTRA_TENANT_ID}, an STS-compatible endpoint ({@link TestSts}) that
 * trusts the issuer's tokens and issues short-lived keys with session policies, S3Proxy ({@link
 * S3ProxyServer}) that accepts only the STS's unexpired keys within their session policies, and, when
 * Node.js and npm are installed, Azurite ({@link AzuriteServer}). Outside the Latchkey repository the
 * first start installs Azurite into a per-user cache folder ({@link AzuriteServer.Builder#cacheFolder}
 * describes it). When Azurite cannot start, the sandbox runs without it and {@link
 * #azuriteUnavailableReason()} returns why and what to run by hand.
 *
 * <p>Closing the sandbox stops every server it started, in reverse order.
 */
public final class Sandbox implements AutoCloseable {

  /** The audience the STS requires in web identity tokens. */
  public static final String STS_AUDIENCE = "sts.amazonaws.com";

  /**
   * The Microsoft Entra ID tenant the issuer serves, for the Entra ID sources of {@code
   * latchkey-azure} with {@code authorityHost(issuer().authorityHost())}.
   */
  public static final String ENTRA_TENANT_ID = "8f3c2a71-5b0e-4d6a-9c1f-2e7d4b6a0c95";

  /** The access key id with full access to S3Proxy, for setting up data. */
  public static final String ADMIN_ACCESS_KEY_ID = "AKIDSANDBOXADMIN";

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  private final OidcIssuer issuer;
  private final TestSts sts;
  private final S3ProxyServer s3;
  private final AzuriteServer azurite;
  private final String azuriteUnavailableReason;
  private final String adminSecret;

  private Sandbox(OidcIssuer issuer, TestSts sts, S3ProxyServer s3, AzuriteServer azurite, String azuriteUnavailableReason,
      String adminSecret) {
    this.issuer = issuer;
    this.sts = sts;
    this.s3 = s3;
    this.azurite = azurite;
    this.azuriteUnavailableReason = azuriteUnavailableReason;
    this.adminSecret = adminSecret;
  }

  public static Builder builder() {
    return new Builder();
  }

  public OidcIssuer issuer() {
    return issuer;
  }

  public TestSts sts() {
    return sts;
  }

  /** Returns the STS endpoint, for {@code AssumeRoleWithWebIdentity} and {@code AssumeRole}. */
  public URI stsEndpoint() {
    return sts.endpoint();
  }

  public S3ProxyServer s3() {
    return s3;
  }

  /** Returns the S3 endpoint. */
  public URI s3Endpoint() {
    return s3.endpoint();
  }

  /** Returns the secret of {@link #ADMIN_ACCESS_KEY_ID}. */
  public String adminSecret() {
    return adminSecret;
  }

  /** Returns Azurite, when it was asked for and Node.js is installed. */
  public Optional<AzuriteServer> azurite() {
    return Optional.ofNullable(azurite);
  }

  /** Returns why Azurite is not running, such as a missing Node.js; empty when it runs. */
  public Optional<String> azuriteUnavailableReason() {
    return Optional.ofNullable(azuriteUnavailableReason);
  }

  /** Stores an object directly in S3Proxy's blob store, bypassing S3 authorization, to set up data. */
  public void putObject(String bucket, String key, byte[] content) {
    BlobStore store = s3.blobStore();
    if (!store.containerExists(bucket)) {
      store.createContainer(bucket);
    }
    PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) content.length).build();
    store.putBlob(request, new ByteArrayInputStream(content));
  }

  @Override
  public void close() {
    List<AutoCloseable> servers = new ArrayList<>();
    servers.add(azurite);
    servers.add(s3);
    servers.add(sts);
    servers.add(issuer);
    for (AutoCloseable server : servers) {
      closeQuietly(server);
    }
  }

  private static void closeQuietly(AutoCloseable server) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (Exception e) {
      LOG.warn("Failed to stop {}: {}", server, e.toString());
    }
  }

  /** Builder for {@link Sandbox}; not thread-safe. */
  public static final class Builder {
    private Duration credentialLifetime = Duration.ofMinutes(15);
    private Duration tokenLifetime = Duration.ofMinutes(5);
    private boolean azurite = true;
    private InstantSource clock = InstantSource.system();
    private final List<String> buckets = new ArrayList<>();

    private Builder() {}

    /** Sets how long STS keys live when a request names no duration; 15 minutes by default. */
    public Builder credentialLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "credentialLifetime");
      if (lifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("Invalid credentialLifetime " + lifetime + ": use 1 second or more");
      }
      this.credentialLifetime = lifetime;
      return this;
    }

    /** Sets how long the issuer's access tokens live; 5 minutes by default. */
    public Builder tokenLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "tokenLifetime");
      if (lifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("Invalid tokenLifetime " + lifetime + ": use 1 second or more");
      }
      this.tokenLifetime = lifetime;
      return this;
    }

    /** Sets whether to start Azurite when Node.js is installed; true by default. */
    public Builder azurite(boolean start) {
      this.azurite = start;
      return this;
    }

    /** Sets the clock of the STS, which decides when keys expire; the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds buckets to create in S3Proxy.
     *
     * @throws IllegalArgumentException if a name is not a valid S3 bucket name: 3 to 63 lower-case
     *     letters, digits, dots and hyphens, starting and ending with a letter or digit
     */
    public Builder buckets(String... names) {
      for (String name : names) {
        if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
          throw new IllegalArgumentException("Invalid bucket name '" + name
              + "': use 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
        }
      }
      buckets.addAll(List.of(names));
      return this;
    }

    /** Starts the servers; on failure, those already started are stopped. */
    public Sandbox start() {
      String adminSecret = "sandbox-admin-" + Long.toHexString(new java.security.SecureRandom().nextLong());
      OidcIssuer issuer = OidcIssuer.builder()
          .tokenLifetime(tokenLifetime)
          .audience(STS_AUDIENCE)
          .entraTenant(ENTRA_TENANT_ID)
          .start();
      TestSts sts = null;
      S3ProxyServer s3 = null;
      try {
        sts = TestSts.builder()
            .clock(clock)
            .defaultLifetime(credentialLifetime)
            .rootKey(ADMIN_ACCESS_KEY_ID, adminSecret)
            .trustIssuer(issuer.issuerUrl().toString(), issuer.jwksUrl().uri(), STS_AUDIENCE)
            .start();
        BlobStore store = S3ProxyServer.newTransientBlobStore();
        s3 = S3ProxyServer.builder()
            .identity(ADMIN_ACCESS_KEY_ID)
            .credential(adminSecret)
            .blobStore(store)
            .blobStoreLocator(sts.blobStoreLocator(store))
            .ignoreUnknownHeaders(true)
            .start();
        buckets.forEach(s3::createBucket);
        return startAzurite(issuer, sts, s3, adminSecret);
      } catch (RuntimeException e) {
        closeQuietly(s3);
        closeQuietly(sts);
        closeQuietly(issuer);
        throw e;
      }
    }

    private Sandbox startAzurite(OidcIssuer issuer, TestSts sts, S3ProxyServer s3, String adminSecret) {
      if (!azurite) {
        return new Sandbox(issuer, sts, s3, null, "not requested", adminSecret);
      }
      try {
        return new Sandbox(issuer, sts, s3, AzuriteServer.start(), null, adminSecret);
      } catch (AzuriteUnavailableException e) {
        LOG.info("Azurite is not available, so the sandbox runs without Azure Blob: {}", e.getMessage());
        return new Sandbox(issuer, sts, s3, null, e.getMessage(), adminSecret);
      }
    }
  }
}
