package dev.latchkey.examples;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A user-provided {@link StorageBackend} that keeps objects as files under a directory: container
 * {@code reports} and key {@code 2026/q1.csv} become {@code ROOT/reports/2026/q1.csv}.
 *
 * <p>It shows the whole backend SPI in one page. A backend for a real HTTP storage API does the same
 * with requests, signs them with a {@code RequestSigner}, and reports each HTTP exchange to the
 * listener. Keys with {@code ..} segments are rejected, so no key escapes the directory. Files have
 * no place for user metadata, so an upload with user metadata is rejected before anything is written.
 */
public final class DirectoryBackend implements StorageBackend {

  private final Path root;

  public DirectoryBackend(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public String containerResource(String container) {
    return "file://" + container;
  }

  @Override
  public ObjectContent get(ObjectRef ref, ByteRange range, ExchangeListener listener) {
    Path file = fileOf(ref);
    try {
      InputStream stream = Files.newInputStream(file);
      if (range != null) {
        stream.skipNBytes(range.first());
      }
      report(listener, "GET", ref, 200, 0, Files.size(file));
      return new ObjectContent(metadata(ref, file), stream);
    } catch (NoSuchFileException e) {
      report(listener, "GET", ref, 404, 0, 0);
      throw new StorageException("Object '" + ref.key() + "' not found in '" + ref.container() + "'", 404, "NoSuchKey", null, e, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType, ExchangeListener listener) {
    Path file = fileOf(ref);
    try (InputStream stream = body.openStream()) {
      Files.createDirectories(file.getParent());
      Path partial = Files.createTempFile(file.getParent(), ".upload-", ".part");
      long written = Files.copy(stream, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      report(listener, "PUT", ref, 200, written, 0);
      return metadata(ref, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Uploads an object without user metadata.
   *
   * @throws UnsupportedOperationException if the request has user metadata, which this backend does
   *     not store; nothing is written then
   */
  @Override
  public ObjectMetadata put(PutRequest request, ExchangeListener listener) {
    if (!request.userMetadata().isEmpty()) {
      throw new UnsupportedOperationException("DirectoryBackend stores only the bytes of an object, so the upload of '"
          + request.ref().key() + "' with user metadata " + request.userMetadata().keySet()
          + " was rejected; upload it without metadata, or keep the metadata in an object of its own");
    }
    return put(request.ref(), request.body(), request.contentType(), listener);
  }

  @Override
  public void delete(ObjectRef ref, ExchangeListener listener) {
    try {
      Files.deleteIfExists(fileOf(ref));
      report(listener, "DELETE", ref, 204, 0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ObjectMetadata head(ObjectRef ref, ExchangeListener listener) {
    Path file = fileOf(ref);
    if (!Files.isRegularFile(file)) {
      report(listener, "HEAD", ref, 404, 0, 0);
      throw new StorageException("Object '" + ref.key() + "' not found in '" + ref.container() + "'", 404, "NoSuchKey", null, null, false);
    }
    report(listener, "HEAD", ref, 200, 0, 0);
    try {
      return metadata(ref, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ListPage list(ListRequest request, ExchangeListener listener) {
    Path container = root.resolve(request.container());
    if (!Files.isDirectory(container)) {
      return new ListPage(List.of(), List.of(), null);
    }
    try (Stream<Path> files = Files.walk(container)) {
      List<ListPage.ObjectSummary> objects = files.filter(Files::isRegularFile)
          .map(file -> container.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"))
          .filter(key -> key.startsWith(request.prefix()) && !key.contains("/.upload-"))
          .sorted()
          .map(key -> new ListPage.ObjectSummary(key, container.resolve(key).toFile().length(), null, null))
          .toList();
      report(listener, "GET", new ObjectRef(request.container(), "?list"), 200, 0, 0);
      return new ListPage(objects, List.of(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public URI presign(PresignRequest request) {
    throw new UnsupportedOperationException("A directory has no URLs to presign");
  }

  private Path fileOf(ObjectRef ref) {
    Path file = root.resolve(ref.container()).resolve(ref.key()).normalize();
    if (!file.startsWith(root.resolve(ref.container()))) {
      throw new IllegalArgumentException("Invalid key '" + ref.key() + "': it leaves the container directory");
    }
    return file;
  }

  private static ObjectMetadata metadata(ObjectRef ref, Path file) throws IOException {
    return new ObjectMetadata(ref, Files.size(file), null, null, Files.getLastModifiedTime(file).toInstant(), Map.of());
  }

  private static void report(ExchangeListener listener, String method, ObjectRef ref, int status, long sent, long received) {
    listener.onExchange(new Exchange(method, "file:///" + ref.container() + "/" + ref.key(), status,
        status >= 400 ? "NoSuchKey" : null, null, null, null, sent, received, Duration.ZERO));
  }
}
