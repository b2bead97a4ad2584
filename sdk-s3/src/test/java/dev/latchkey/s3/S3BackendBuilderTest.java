package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Endpoint checks of {@link S3Backend.Builder}, which run before any request. */
class S3BackendBuilderTest {

  private static final String PASSWORD = "hunter2-endpoint-password";

  /**
   * A password in the endpoint would be printed by the backend's toString and sent to third parties
   * in every presigned URL, so the builder rejects user information and does not echo it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"https://user:" + PASSWORD + "@s3.eu-west-1.amazonaws.com",
      "http://user:" + PASSWORD + "@127.0.0.1:9000", "https://" + PASSWORD + "@s3.eu-west-1.amazonaws.com/path"})
  void endpointWithUserInformationIsRejected(String endpoint) {
    assertThatThrownBy(() -> S3Backend.builder().endpoint(URI.create(endpoint)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user information")
        .hasMessageContaining("credentials(")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
  }
}
