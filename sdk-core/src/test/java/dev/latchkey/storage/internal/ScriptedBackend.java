package dev.latchkey.storage.internal;

import dev.latchkey.storage.ByteRange;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.StorageBackend;
import dev.latchkey.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user-provided backend kept in memory, whose next calls can be scripted to fail: the kind of
 * backend an application writes for its own storage API, used here to test what the client does
 * around any backend.
 */
class ScriptedBackend implements StorageBackend {

  final Map<ObjectRef, byte[]> objects = new ConcurrentHashMap<>();
  final Deque<StorageException> failures = new ArrayDeque<>();
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  /** Sizes that {@code get} reports in place of the stored length, as a server might announce. */
  final Map<ObjectRef, Long> announcedSizes = new ConcurrentHashMap<>();
  final List<ListRequest> listRequests = new ArrayList<>();
  /** The user metadata of the last upload with metadata, by object; kept only with {@link #storesUserMetadata}. */
  final Map<ObjectRef, Map<String, String>> userMetadata = new ConcurrentHashMap<>();
  int pageSize = 2;
  /** Whether uploads with user metadata are stored, or left to the SPI's default, which rejects them. */
  boolean storesUserMetadata = true;

  @Override
  public String scheme() {
    return "memory";
  }

  @Override
  public String containerResource(String container) {
    return "memory://" + container;
  }

  @Override
  public ObjectContent get(ObjectRef ref, ByteRange range, ExchangeListener listener) {
    exchange("GET", ref, listener);
    byte[] bytes = objects.get(ref);
    if (bytes == null) {
      report(listener, "GET", 404, "NoSuchKey");
      throw new StorageException("Object " + ref.key() + " not found", 404, "NoSuchKey", "req-404", null, false);
    }
    report(listener, "GET", 200, null);
    ObjectMetadata stored = metadata(ref, bytes);
    long announced = announcedSizes.getOrDefault(ref, stored.size());
    ObjectMetadata metadata = new ObjectMetadata(ref, announced, stored.eTag(), stored.contentType(),
        stored.lastModified(), stored.userMetadata());
    return new ObjectContent(metadata, new ByteArrayInputStream(bytes));
  }

  @Override
  public ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType, ExchangeListener listener) {
    exchange("PUT", ref, listener);
    try (InputStream stream = body.openStream()) {
      byte[] bytes = stream.readAllBytes();
      objects.put(ref, bytes);
      report(listener, "PUT", 200, null);
      return metadata(ref, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ObjectMetadata put(PutRequest request, ExchangeListener listener) {
    if (!storesUserMetadata) {
      return StorageBackend.super.put(request, listener);
    }
    ObjectMetadata stored = put(request.ref(), request.body(), request.contentType(), listener);
    userMetadata.put(request.ref(), request.userMetadata());
    return stored;
  }

  @Override
  public void delete(ObjectRef ref, ExchangeListener listener) {
    exchange("DELETE", ref, listener);
    objects.remove(ref);
    report(listener, "DELETE", 204, null);
  }

  @Override
  public ObjectMetadata head(ObjectRef ref, ExchangeListener listener) {
    exchange("HEAD", ref, listener);
    byte[] bytes = objects.get(ref);
    report(listener, "HEAD", bytes == null ? 404 : 200, null);
    if (bytes == null) {
      throw new StorageException("Object " + ref.key() + " not found", 404, null, null, null, false);
    }
    return metadata(ref, bytes);
  }

  @Override
  public ListPage list(ListRequest request, ExchangeListener listener) {
    calls.incrementAndGet();
    synchronized (listRequests) {
      listRequests.add(request);
    }
    failIfScripted(listener, "GET");
    List<String> keys = objects.keySet().stream()
        .filter(ref -> ref.container().equals(request.container()) && ref.key().startsWith(request.prefix()))
        .map(ObjectRef::key).sorted().toList();
    int start = request.continuationToken() == null ? 0 : Integer.parseInt(request.continuationToken());
    int end = Math.min(keys.size(), start + pageSize);
    List<ListPage.ObjectSummary> page = keys.subList(start, end).stream()
        .map(key -> new ListPage.ObjectSummary(key, objects.get(new ObjectRef(request.container(), key)).length, null, null))
        .toList();
    report(listener, "GET", 200, null);
    return new ListPage(page, List.of(), end < keys.size() ? Integer.toString(end) : null);
  }

  @Override
  public URI presign(PresignRequest request) {
    return URI.create("https://memory.example/" + request.ref().container() + "/" + request.ref().key() + "?sig=secret");
  }

  private void exchange(String method, ObjectRef ref, ExchangeListener listener) {
    calls.incrementAndGet();
    failIfScripted(listener, method);
  }

  private void failIfScripted(ExchangeListener listener, String method) {
    StorageException failure;
    synchronized (failures) {
      failure = failures.poll();
    }
    if (failure != null) {
      report(listener, method, failure.statusCode(), failure.errorCode());
      throw failure;
    }
  }

  private static void report(ExchangeListener listener, String method, int status, String errorCode) {
    listener.onExchange(new Exchange(method, "https://memory.example/object?sig=secret-signature", status, errorCode,
        "req-1", "key-1", "scripted", 0, 0, Duration.ofMillis(1)));
  }

  private static ObjectMetadata metadata(ObjectRef ref, byte[] bytes) {
    return new ObjectMetadata(ref, bytes.length, "\"etag\"", "text/plain", null, Map.of());
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
