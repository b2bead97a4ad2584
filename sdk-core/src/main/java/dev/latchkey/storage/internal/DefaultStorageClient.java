package dev.latchkey.storage.internal;

import dev.latchkey.RetryAfter;
import dev.latchkey.audit.AccessAuditEvent;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditSinks;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AccessRequest;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.PolicyDecision;
import dev.latchkey.policy.Resource;
import dev.latchkey.storage.ByteRange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.RetrySleeper;
import dev.latchkey.storage.StorageBackend;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StorageClient} that runs policy, credential, signing, sending and audit, in that order,
 * around a {@link StorageBackend}. Thread-safe: all fields are immutable or thread-safe.
 */
public final class DefaultStorageClient implements StorageClient {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultStorageClient.class);

  /** The largest array length the JDK itself allocates, because some JVMs reject longer arrays. */
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private final WorkloadIdentity identity;
  private final AccessPolicy policy;
  private final AuditSink audit;
  /** Whether any sink records events. With only {@link AuditSink#NONE}, no event is built. */
  private final boolean auditing;
  private final StorageBackend backend;
  private final RetryPolicy retryPolicy;
  private final InstantSource clock;
  private final Map<String, String> context;
  private final AuditStamper stamper;
  private final RetrySleeper sleeper;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The resource of the last object called, so repeated calls for one object build and parse it once. */
  private volatile ObjectResource lastObjectResource;

  public DefaultStorageClient(WorkloadIdentity identity, AccessPolicy policy, List<AuditSink> sinks,
      StorageBackend backend, RetryPolicy retryPolicy, InstantSource clock, Map<String, String> context,
      RetrySleeper sleeper) {
    this.identity = identity;
    this.policy = policy;
    this.audit = sinks.isEmpty() ? AuditSinks.slf4j() : AuditSinks.fanOut(sinks);
    this.auditing = sinks.isEmpty() || sinks.stream().anyMatch(sink -> sink != AuditSink.NONE);
    this.backend = backend;
    this.retryPolicy = retryPolicy;
    this.clock = clock;
    this.context = context;
    this.stamper = AuditStamper.create(clock);
    this.sleeper = sleeper;
  }

  @Override
  public WorkloadIdentity identity() {
    return identity;
  }

  /**
   * Downloads an object into memory. The body is read inside the retried call, so a body that is cut
   * off or incomplete is downloaded again, as a failed response would be.
   */
  @Override
  public byte[] getBytes(ObjectRef ref) {
    ensureOpen();
    Operation operation = Operation.object(Action.READ, resourceOf(ref), true);
    return execute(operation, request(operation), listener -> readBytes(ref, backend.get(ref, null, listener)));
  }

  private static byte[] readBytes(ObjectRef ref, ObjectContent content) {
    try (content; InputStream stream = content.stream()) {
      long expected = content.metadata().size();
      if (expected >= 0 && expected <= MAX_ARRAY_LENGTH) {
        return readAnnouncedLength(ref, stream, (int) expected);
      }
      byte[] bytes = stream.readAllBytes();
      checkComplete(ref, bytes.length, expected);
      return bytes;
    } catch (IOException e) {
      throw readFailure(ref, e);
    }
  }

  @Override
  public ObjectContent get(ObjectRef ref) {
    return get(ref, null);
  }

  @Override
  public ObjectContent get(ObjectRef ref, ByteRange range) {
    ensureOpen();
    Operation operation = Operation.object(Action.READ, resourceOf(ref), true);
    return execute(operation, request(operation), listener -> backend.get(ref, range, listener));
  }

  /**
   * Downloads an object to a file. Each attempt of the retried call writes the temporary file from
   * its start, so a body that is cut off is downloaded again. A failure to write the file is not
   * retried.
   */
  @Override
  public ObjectMetadata getToFile(ObjectRef ref, Path target) {
    ensureOpen();
    Objects.requireNonNull(target, "target");
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = createTemporaryFile(directory, target);
    try {
      Operation operation = Operation.object(Action.READ, resourceOf(ref), true);
      ObjectMetadata metadata = execute(operation, request(operation),
          listener -> download(ref, backend.get(ref, null, listener), temporary, target));
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return metadata;
    } catch (IOException e) {
      throw new UncheckedIOException("Download of " + describe(ref) + " to " + target + " failed", e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  /**
   * Copies one response body into {@code temporary}, replacing what an earlier attempt wrote.
   *
   * @throws StorageException if reading the body fails or it ends early, which the caller retries
   * @throws UncheckedIOException if writing the file fails
   */
  private static ObjectMetadata download(ObjectRef ref, ObjectContent content, Path temporary, Path target) {
    try (content; InputStream in = content.stream(); OutputStream out = Files.newOutputStream(temporary)) {
      byte[] buffer = new byte[64 * 1024];
      long copied = 0;
      for (int read = readChunk(ref, in, buffer); read >= 0; read = readChunk(ref, in, buffer)) {
        out.write(buffer, 0, read);
        copied += read;
      }
      checkComplete(ref, copied, content.metadata().size());
      return content.metadata();
    } catch (IOException e) {
      throw new UncheckedIOException("Download of " + describe(ref) + " to " + target + " failed", e);
    }
  }

  /** Reads from a response body. A failure is a retryable {@link StorageException}, not a file error. */
  private static int readChunk(ObjectRef ref, InputStream in, byte[] buffer) {
    try {
      return in.read(buffer);
    } catch (IOException e) {
      throw readFailure(ref, e);
    }
  }

  private static StorageException readFailure(ObjectRef ref, IOException cause) {
    return new StorageException("Download of " + describe(ref) + " failed while reading: " + cause.getMessage()
        + "; try again", 0, null, null, cause, true);
  }

  @Override
  public ObjectMetadata put(ObjectRef ref, byte[] content, String contentType) {
    return put(ref, ObjectBody.ofBytes(content), contentType);
  }

  @Override
  public ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType) {
    ensureOpen();
    Objects.requireNonNull(body, "body");
    return put(PutRequest.of(ref, body, contentType));
  }

  /**
   * Uploads an object. User metadata stays out of the access request, because the holder of a
   * presigned PUT URL can send any metadata, so a condition on it could be bypassed that way. Its
   * values stay out of every audit event, because they can hold confidential data.
   */
  @Override
  public ObjectMetadata put(PutRequest put) {
    ensureOpen();
    Objects.requireNonNull(put, "request");
    HeaderValues.checkNotSecret("contentType", put.contentType());
    ObjectBody body = put.body();
    Operation operation = Operation.object(Action.WRITE, resourceOf(put.ref()), body.isRepeatable());
    AccessRequest.Builder request = request(operation).size(Math.max(body.contentLength(), 0))
        .contentType(put.contentType() == null ? "" : put.contentType());
    return execute(operation, request, listener -> backend.put(put, listener));
  }

  @Override
  public void delete(ObjectRef ref) {
    ensureOpen();
    Operation operation = Operation.object(Action.DELETE, resourceOf(ref), true);
    execute(operation, request(operation), listener -> {
      backend.delete(ref, listener);
      return null;
    });
  }

  @Override
  public ObjectMetadata head(ObjectRef ref) {
    ensureOpen();
    Operation operation = Operation.object(Action.READ, resourceOf(ref), true);
    return execute(operation, request(operation), listener -> backend.head(ref, listener));
  }

  @Override
  public Stream<ListPage.ObjectSummary> list(String container, String prefix) {
    return listPages(ListRequest.of(container, prefix)).flatMap(page -> page.objects().stream());
  }

  @Override
  public Stream<ListPage> listPages(ListRequest first) {
    ensureOpen();
    Objects.requireNonNull(first, "request");
    return PageIterator.stream(first, this::listPage);
  }

  private ListPage listPage(ListRequest request) {
    ensureOpen();
    String resource = backend.containerResource(request.container()) + "/" + request.prefix();
    Operation operation = Operation.object(Action.LIST, resource, true);
    return execute(operation, request(operation), listener -> backend.list(request, listener));
  }

  @Override
  public URI presign(PresignRequest request) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    Operation operation = Operation.object(Action.forPresign(request.method()), resourceOf(request.ref()), false);
    authorize(operation, request(operation));
    return backend.presign(request);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      backend.close();
    }
  }

  /** Rejects a call on a closed client before the policy, the credentials or the network are used. */
  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("StorageClient for identity '" + identity.name()
          + "' is closed; build a new one with StorageClient.builder()");
    }
  }

  private <T> T execute(Operation operation, AccessRequest.Builder request, Function<ExchangeListener, T> call) {
    String policyRule = authorize(operation, request);
    for (int attempt = 1; ; attempt++) {
      ExchangeAuditor auditor = auditing ? new ExchangeAuditor(this, operation, policyRule) : null;
      try {
        // A backend may skip building exchange reports for ExchangeListener.NONE.
        return call.apply(auditor != null ? auditor : ExchangeListener.NONE);
      } catch (StorageException e) {
        recordFailure(auditor, e);
        if (!shouldRetry(operation, e, attempt)) {
          throw e;
        }
        backOff(operation, e, attempt);
      } catch (RuntimeException e) {
        recordFailure(auditor, e);
        throw e;
      }
    }
  }

  private static void recordFailure(ExchangeAuditor auditor, RuntimeException failure) {
    if (auditor != null) {
      auditor.recordUnreportedFailure(failure);
    }
  }

  /**
   * Evaluates the policy and audits the decision.
   *
   * @return the name of the rule that allowed the request, or {@code null} if no rule is named or no
   *     sink records events
   * @throws AccessDeniedException if the policy denies the request
   */
  private String authorize(Operation operation, AccessRequest.Builder builder) {
    AccessRequest request = builder.build();
    PolicyDecision decision = policy.evaluate(request);
    if (!auditing) {
      if (!decision.isAllowed()) {
        throw new AccessDeniedException(request, decision);
      }
      return null;
    }
    String rule = decision.rule().map(Object::toString).orElse(null);
    if (!decision.isAllowed()) {
      write(AccessAuditEvent.denied(stamper.next(), identity, operation.action().name(), operation.resource(),
          rule, decision.reason()));
      throw new AccessDeniedException(request, decision);
    }
    write(AccessAuditEvent.allowed(stamper.next(), identity, operation.action().name(), operation.resource(),
        rule, decision.reason()));
    return rule;
  }

  private boolean shouldRetry(Operation operation, StorageException failure, int attempt) {
    return failure.isRetryable() && operation.idempotent() && attempt < retryPolicy.maxAttempts();
  }

  private void backOff(Operation operation, StorageException failure, int attempt) {
    Duration backoff = retryPolicy.delayBefore(attempt, new SplittableRandom());
    Duration delay = RetryAfter.delay(backoff, failure.retryAfter(), retryPolicy.maxDelay());
    String requested = failure.retryAfter().map(after -> after.toMillis() + " ms").orElse("none");
    LOG.info("Retrying {} {} after {} ms (attempt {} of {}): status {}, error {}, Retry-After {}",
        operation.action(), operation.resource(), delay.toMillis(), attempt + 1, retryPolicy.maxAttempts(),
        failure.statusCode(), failure.errorCode(), requested);
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  void write(AuditEvent event) {
    audit.write(event);
  }

  AuditStamper stamper() {
    return stamper;
  }

  InstantSource clock() {
    return clock;
  }

  private AccessRequest.Builder request(Operation operation) {
    return AccessRequest.builder()
        .identity(identity)
        .action(operation.action())
        .resource(parsedResource(operation.resource()))
        .context(context)
        .time(clock.instant());
  }

  private String resourceOf(ObjectRef ref) {
    ObjectResource last = lastObjectResource;
    if (last != null && last.key().equals(ref.key()) && last.container().equals(ref.container())) {
      return last.name();
    }
    String name = backend.containerResource(ref.container()) + "/" + ref.key();
    lastObjectResource = new ObjectResource(ref.container(), ref.key(), name, Resource.parse(name));
    return name;
  }

  /** Parses a resource name, or returns the parsed form kept for the last object's resource. */
  private Resource parsedResource(String name) {
    ObjectResource last = lastObjectResource;
    return last != null && last.name().equals(name) ? last.parsed() : Resource.parse(name);
  }

  /** An object's resource name as policies and audit events see it, and its parsed form. */
  private record ObjectResource(String container, String key, String name, Resource parsed) {}

  private static String describe(ObjectRef ref) {
    return "'" + ref.key() + "' in '" + ref.container() + "'";
  }

  /**
   * Reads a body of the length the response announced into an array of that length. This avoids the
   * 8 KiB buffer and the copy of {@link InputStream#readAllBytes()}.
   */
  private static byte[] readAnnouncedLength(ObjectRef ref, InputStream stream, int expected) throws IOException {
    byte[] bytes = stream.readNBytes(expected);
    if (bytes.length == expected && stream.read() >= 0) {
      long received = expected + 1L + stream.transferTo(OutputStream.nullOutputStream());
      checkComplete(ref, received, expected);
    }
    checkComplete(ref, bytes.length, expected);
    return bytes;
  }

  private static void checkComplete(ObjectRef ref, long received, long expected) {
    if (expected >= 0 && received != expected) {
      throw new StorageException("Incomplete download of " + describe(ref) + ": received " + received + " of "
          + expected + " bytes; try again", 0, null, null, null, true);
    }
  }

  private static Path createTemporaryFile(Path directory, Path target) {
    try {
      return Files.createTempFile(directory, "." + target.getFileName() + ".", ".part");
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("Cannot download to " + target + ": the directory " + directory
          + " does not exist; create it first", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary file in " + directory + " for " + target, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete temporary download file {}: {}", file, e.toString());
    }
  }

  /** One client call: what it does, to what, and whether sending it twice is safe. */
  record Operation(Action action, String resource, boolean idempotent) {
    static Operation object(Action action, String resource, boolean idempotent) {
      return new Operation(action, resource, idempotent);
    }
  }
}
