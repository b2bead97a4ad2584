package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bucket name rules of both addressings, checked against regular expressions of the same rules.
 * Presigning checks the name before it signs and needs no server.
 */
class S3BackendBucketNameTest {

  private static final Pattern VIRTUAL_HOSTED_RULE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern PATH_STYLE_RULE = Pattern.compile("[A-Za-z0-9._-]{3,255}");
  private static final AwsCredentials KEYS = AwsCredentials.of("AKIDEXAMPLE", SecretValue.of("example-secret"));

  static Stream<String> names() {
    return Stream.of("abc", "ab", "a", ".", "..", "...", "a.b", "a-b", "-ab", "ab-", ".ab", "ab.", "a_b",
        "ABC", "aBc", "my.bucket-1", "0bucket9", "a b", "ab/c", "ab%", "büc", "a".repeat(63), "a".repeat(64),
        "a".repeat(255), "a".repeat(256), "A".repeat(255));
  }

  @ParameterizedTest
  @MethodSource("names")
  void virtualHostedNameFollowsRule(String bucket) {
    check(S3Backend.Addressing.VIRTUAL_HOSTED, VIRTUAL_HOSTED_RULE, bucket);
  }

  @ParameterizedTest
  @MethodSource("names")
  void pathStyleNameFollowsRule(String bucket) {
    check(S3Backend.Addressing.PATH_STYLE, PATH_STYLE_RULE, bucket);
  }

  private static void check(S3Backend.Addressing addressing, Pattern rule, String bucket) {
    S3Backend backend = S3Backend.builder().endpoint(URI.create("https://s3.eu-west-1.amazonaws.com"))
        .region("eu-west-1").addressing(addressing).credentials(() -> KEYS).build();
    PresignRequest request = new PresignRequest(ObjectRef.of(bucket, "key"), PresignRequest.Method.GET,
        Duration.ofMinutes(5));
    if (rule.matcher(bucket).matches()) {
      assertThat(backend.presign(request).toString()).contains("X-Amz-Signature=");
    } else {
      assertThatThrownBy(() -> backend.presign(request))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid bucket name '" + bucket + "'");
    }
  }
}
