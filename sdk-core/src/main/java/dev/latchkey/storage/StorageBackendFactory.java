package dev.latchkey.storage;

/**
 * Creates a {@link StorageBackend} from the settings a {@link StorageClient} builder collected, so
 * that one builder configures the endpoint, region, credentials, timeouts and HTTP client of any
 * backend. The S3 and Azure modules each offer one.
 */
@FunctionalInterface
public interface StorageBackendFactory {

  /**
   * Creates a backend.
   *
   * @throws IllegalArgumentException if a setting does not suit this backend (a missing region, a
   *     credential type it cannot sign with); the message names the setting
   */
  StorageBackend create(BackendSettings settings);
}
