package dev.latchkey.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Endpoint checks of the storage client builder, which run before a backend factory sees the endpoint. */
class StorageClientBuilderTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.evil.example:9000",
      "http://127.0.0.1.nip.io",
      "http://localhost.example.com",
      "HTTP://s3.example.com",
      "http://s3.example.com"})
  void endpointRejectsPlainHttpToRemoteHost(String endpoint) {
    assertThatThrownBy(() -> StorageClient.builder().endpoint(URI.create(endpoint)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://s3.example.com", "file:///tmp/store", "mailto:ops@example.com", "s3.example.com"})
  void endpointRejectsOtherSchemes(String endpoint) {
    assertThatThrownBy(() -> StorageClient.builder().endpoint(URI.create(endpoint)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute https URI");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://ops:hunter2-canary@s3.example.com", "http://ops:hunter2-canary@127.0.0.1:9000"})
  void endpointRejectsUserInfoWithoutPrintingIt(String endpoint) {
    assertThatThrownBy(() -> StorageClient.builder().endpoint(URI.create(endpoint)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user information")
        .hasMessageNotContaining("hunter2-canary");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://s3.eu-west-1.amazonaws.com",
      "HTTPS://s3.example.com",
      "http://127.0.0.1:9000",
      "http://127.1.2.3:9000",
      "http://localhost:9000",
      "http://[::1]:9000"})
  void endpointAcceptsHttpsAndLoopbackHttp(String endpoint) {
    URI uri = URI.create(endpoint);

    assertThat(StorageClient.builder().endpoint(uri)).isNotNull();
  }
}
