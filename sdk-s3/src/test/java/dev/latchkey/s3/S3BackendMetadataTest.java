package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import java.time.Instant;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Reading object metadata from response headers. The backend keeps the last {@code Last-Modified}
 * value it parsed, so these responses alternate between values to show that none is served for
 * another.
 */
class S3BackendMetadataTest {

  private static final ObjectRef REF = ObjectRef.of("reports", "daily/a.csv");

  @Test
  void lastModifiedFollowsEachResponse() {
    String[] values = {"Fri, 04 Dec 2026 22:54:46 GMT", "Sat, 05 Dec 2026 01:02:03 GMT", "not a date"};
    Instant[] expected = {Instant.parse("2026-12-04T22:54:46Z"), Instant.parse("2026-12-05T01:02:03Z"), null};

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < values.length; i++) {
        ObjectMetadata metadata = S3Backend.metadata(REF, response(values[i]));
        assertThat(metadata.lastModified()).as("Last-Modified '%s', round %d", values[i], round)
            .isEqualTo(expected[i]);
      }
    }
  }

  private static Response response(String lastModified) {
    return new Response.Builder()
        .request(new Request.Builder().url("http://127.0.0.1:9/reports/daily/a.csv").build())
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .header("Content-Length", "3")
        .header("Last-Modified", lastModified)
        .build();
  }
}
