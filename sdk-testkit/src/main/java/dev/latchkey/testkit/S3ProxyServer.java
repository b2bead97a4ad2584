package dev.latchkey.testkit;

import dev.latchkey.testkit.internal.ExactKeyBlobStore;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3Proxy 4.1.0 server embedded in this JVM, on 127.0.0.1 and an ephemeral port, that stores
 * objects in memory and checks SigV4 header, presigned and chunked signatures.
 *
 * <p>S3Proxy rejects a wrong signature with 403 {@code SignatureDoesNotMatch}, a body that does not
 * match {@code x-amz-content-sha256} with 400 {@code XAmzContentSHA256Mismatch}, and a request time
 * further from its clock than the maximum time skew (15 minutes unless set) with 403 {@code
 * RequestTimeTooSkewed}. It does not check the region of the credential scope.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.builder().start()) {
 *   s3.createBucket("reports");
 *   URI endpoint = s3.endpoint();  // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>Thread-safe once started. {@link #close()} stops the server and drops every stored object.
 *
 * <p>Keys: S3Proxy 4.1.0's embedded Jetty 12.1.12 and its request handler pass every key to the
 * store exactly, whether the request path carries a slash raw or as {@code %2F}. Its only stores that
 * work without a remote service, {@code transient} (this class's default, on a Jimfs 1.3.2 in-memory
 * file system) and {@code filesystem}, map a key to a file with {@code Path.resolve(key).normalize()}
 * in {@code AbstractNio2BlobStore}. That drops empty segments and resolves {@code .} and {@code ..},
 * so {@code a//b}, {@code a/./b} and {@code a/b} are one object, listed as {@code a/b}; a key with a
 * leading slash is rejected with 400; and a key that ends with {@code /} becomes an empty directory
 * marker whose get returns no bytes. {@link Builder#exactKeys(boolean)} stores every key exactly,
 * in the same in-memory store, as Amazon S3 does.
 */
public final class S3ProxyServer implements AutoCloseable {

  /** The access key id the server accepts unless {@link Builder#identity} sets another. */
  public static final String DEFAULT_IDENTITY = "AKIDLATCHKEYTEST";

  /** The secret access key paired with {@link #DEFAULT_IDENTITY}; a test value, not a real secret. */
  public static final String DEFAULT_CREDENTIAL = "latchkey-test-secret-access-key";

  private static final Logger log = LoggerFactory.getLogger(S3ProxyServer.class);

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final String identity;
  private final String credential;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy, Builder builder) {
    this.proxy = proxy;
    this.blobStore = builder.blobStore;
    this.identity = builder.identity;
    this.credential = builder.credential;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Creates an empty in-memory blob store, for a {@link BlobStoreLocator} built before the server. */
  public static BlobStore newTransientBlobStore() {
    return BlobStores.create("transient", new Properties());
  }

  /**
   * Returns a view of {@code store} that keeps every object key exactly, as {@link
   * Builder#exactKeys(boolean)} does, for a {@link BlobStoreLocator} to return. Objects written to
   * {@code store} directly, not through the view, are listed by the view under their stored names.
   */
  public static BlobStore exactKeys(BlobStore store) {
    Objects.requireNonNull(store, "store");
    return store instanceof ExactKeyBlobStore ? store : new ExactKeyBlobStore(store);
  }

  /** Returns the base URI, {@code http://127.0.0.1:PORT}, for path-style requests. */
  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  /** Returns the access key id the server accepts when no locator is set. */
  public String identity() {
    return identity;
  }

  /** Returns the secret access key paired with {@link #identity()}. */
  public String credential() {
    return credential;
  }

  /**
   * Returns the in-memory store behind the server, to inspect or seed objects directly. With {@link
   * Builder#exactKeys(boolean)} it takes and returns keys exactly as S3 clients send them.
   */
  public BlobStore blobStore() {
    return blobStore;
  }

  /** Creates a bucket directly in the store, without an S3 request. */
  public void createBucket(String name) {
    blobStore.createContainer(name);
  }

  /** Returns whether an object exists, read directly from the store. */
  public boolean objectExists(String bucket, String key) {
    return blobStore.blobExists(bucket, key);
  }

  /** Stops the server. */
  @Override
  public void close() {
    try {
      proxy.stop();
      log.debug("S3Proxy on {} stopped", endpoint);
    } catch (Exception e) {
      throw new IllegalStateException("Failed to stop S3Proxy on " + endpoint, e);
    }
  }

  @Override
  public String toString() {
    return "S3ProxyServer[endpoint=" + endpoint + ", identity=" + identity + "]";
  }

  /** Builder for {@link S3ProxyServer}; not thread-safe. */
  public static final class Builder {
    private String identity = DEFAULT_IDENTITY;
    private String credential = DEFAULT_CREDENTIAL;
    private Duration maximumTimeSkew;
    private boolean ignoreUnknownHeaders;
    private BlobStoreLocator blobStoreLocator;
    private BlobStore blobStore;
    private String virtualHost;
    private boolean exactKeys;

    private Builder() {}

    /**
     * Sets whether the store keeps every object key exactly; default {@code false}, which keeps
     * S3Proxy's own mapping of keys to file paths (see the class documentation). With {@code true},
     * keys with {@code //}, a leading or trailing slash, or {@code .} and {@code ..} segments are
     * stored, listed and read as sent. Objects stay in memory either way. A {@link
     * #blobStoreLocator} must return a store wrapped by {@link S3ProxyServer#exactKeys(BlobStore)}
     * itself, because this option wraps only the {@link #blobStore} of the builder.
     */
    public Builder exactKeys(boolean exact) {
      this.exactKeys = exact;
      return this;
    }

    /**
     * Sets the host name under which S3Proxy also accepts virtual-hosted requests ({@code
     * bucket.HOST}), such as {@code localhost}; default none, so only path-style requests work.
     */
    public Builder virtualHost(String host) {
      this.virtualHost = requireText(host, "virtualHost");
      return this;
    }

    /** Sets the access key id the server accepts; default {@link #DEFAULT_IDENTITY}. */
    public Builder identity(String identity) {
      this.identity = requireText(identity, "identity");
      return this;
    }

    /** Sets the secret access key paired with the identity; default {@link #DEFAULT_CREDENTIAL}. */
    public Builder credential(String credential) {
      this.credential = requireText(credential, "credential");
      return this;
    }

    /**
     * Sets how far a request's signing time may be from the server's clock before it is rejected
     * with {@code RequestTimeTooSkewed}; S3Proxy's default is 15 minutes.
     *
     * @throws IllegalArgumentException if it is under 1 second or not whole seconds
     */
    public Builder maximumTimeSkew(Duration skew) {
      Objects.requireNonNull(skew, "maximumTimeSkew");
      if (skew.compareTo(Duration.ofSeconds(1)) < 0 || skew.toNanosPart() != 0
          || skew.getSeconds() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Invalid maximumTimeSkew " + skew + ": use whole seconds from PT1S, such as PT5S");
      }
      this.maximumTimeSkew = skew;
      return this;
    }

    /**
     * Sets whether unknown headers are ignored. S3Proxy answers 501 to a request carrying a header
     * it does not implement, among them {@code x-amz-security-token}; set this to accept temporary
     * credentials. The token is then covered by the signature only, and any value passes.
     */
    public Builder ignoreUnknownHeaders(boolean ignore) {
      this.ignoreUnknownHeaders = ignore;
      return this;
    }

    /**
     * Sets the locator that S3Proxy asks on every request for the secret of the request's access
     * key id and the store to serve it from, in place of the single identity. Use {@link
     * #blobStore(BlobStore)} to share the store it returns with {@link S3ProxyServer#blobStore()}.
     */
    public Builder blobStoreLocator(BlobStoreLocator locator) {
      this.blobStoreLocator = Objects.requireNonNull(locator, "blobStoreLocator");
      return this;
    }

    /** Sets the store behind the server; default a new {@link #newTransientBlobStore()}. */
    public Builder blobStore(BlobStore blobStore) {
      this.blobStore = Objects.requireNonNull(blobStore, "blobStore");
      return this;
    }

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @throws IllegalStateException if S3Proxy fails to start
     */
    public S3ProxyServer start() {
      if (blobStore == null) {
        blobStore = newTransientBlobStore();
      }
      if (exactKeys) {
        blobStore = S3ProxyServer.exactKeys(blobStore);
      }
      S3Proxy proxy = buildProxy();
      if (blobStoreLocator != null) {
        proxy.setBlobStoreLocator(blobStoreLocator);
      }
      try {
        proxy.start();
      } catch (Exception e) {
        throw new IllegalStateException("Failed to start S3Proxy on 127.0.0.1", e);
      }
      S3ProxyServer server = new S3ProxyServer(proxy, this);
      log.debug("S3Proxy started on {}, state {}", server.endpoint, proxy.getState());
      return server;
    }

    private S3Proxy buildProxy() {
      S3Proxy.Builder proxy = S3Proxy.builder()
          .blobStore(blobStore)
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V4, identity, credential)
          .ignoreUnknownHeaders(ignoreUnknownHeaders);
      if (maximumTimeSkew != null) {
        proxy.maximumTimeSkew((int) maximumTimeSkew.getSeconds());
      }
      if (virtualHost != null) {
        proxy.virtualHost(virtualHost);
      }
      return proxy.build();
    }

    private static String requireText(String value, String option) {
      Objects.requireNonNull(value, option);
      if (value.isBlank()) {
        throw new IllegalArgumentException("Invalid " + option + " '': it must not be blank");
      }
      return value;
    }
  }
}
