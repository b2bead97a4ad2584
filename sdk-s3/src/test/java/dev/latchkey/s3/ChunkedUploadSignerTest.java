package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chunked uploads framed by hand and sent to S3Proxy, which checks every chunk signature. */
class ChunkedUploadSignerTest {

  private static final OkHttpClient HTTP = new OkHttpClient();
  private static final int CHUNK = ChunkedUploadSigner.MIN_CHUNK_SIZE;
  private static S3ProxyServer server;
  private static AwsCredentials keys;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.builder().start();
    server.createBucket("chunks");
    keys = AwsCredentials.of(server.identity(), SecretValue.of(server.credential()));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void validChunksAreStored() throws IOException {
    byte[] data = filled(CHUNK + 100, 'a');

    int status = upload("valid.bin", data, data);

    assertThat(status).isEqualTo(200);
    assertThat(server.objectExists("chunks", "valid.bin")).isTrue();
  }

  @Test
  void tamperedChunkIsRejectedAndNothingStored() throws IOException {
    byte[] signed = filled(CHUNK + 100, 'a');
    byte[] sent = signed.clone();
    sent[CHUNK + 5] = 'b';

    int status = upload("tampered.bin", signed, sent);

    assertThat(status).isEqualTo(403);
    assertThat(server.objectExists("chunks", "tampered.bin")).isFalse();
  }

  @Test
  void rejectsChunkOfWrongSize() {
    ChunkedUploadSigner signer = start("size.bin", CHUNK * 2L);

    assertThatThrownBy(() -> signer.writeChunk(new ByteArrayOutputStream(), new byte[100], 0, 100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("every chunk but the last");
  }

  @Test
  void rejectsFinalChunkBeforeAllBytes() {
    ChunkedUploadSigner signer = start("early.bin", 10);

    assertThatThrownBy(() -> signer.writeFinalChunk(new ByteArrayOutputStream()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0 of 10");
  }

  @Test
  void rejectsChunkSizeBelowEightKibibytes() {
    SignableRequest put = SignableRequest.builder("PUT", URI.create(server.endpoint() + "/chunks/x")).build();

    assertThatThrownBy(() -> SigV4Signer.forS3("us-east-1").signChunkedUpload(put, keys, Instant.now(), 10, 1024))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk size 1024");
  }

  /** Signs the chunks of {@code signed} but sends the bytes of {@code sent}, and returns the HTTP status. */
  private static int upload(String key, byte[] signed, byte[] sent) throws IOException {
    ChunkedUploadSigner signer = start(key, signed.length);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int offset = 0; offset < signed.length; offset += CHUNK) {
      int length = Math.min(CHUNK, signed.length - offset);
      String signature = signer.signChunk(signed, offset, length);
      frame(body, length, signature);
      body.write(sent, offset, length);
      body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    frame(body, 0, signer.signChunk(new byte[0], 0, 0));
    body.write("\r\n".getBytes(StandardCharsets.US_ASCII));

    Request.Builder request = new Request.Builder().url(signer.request().uri().toString());
    for (SignableRequest.Header header : signer.request().headers()) {
      if (!header.name().equalsIgnoreCase("Content-Length")) {
        request.header(header.name(), header.value());
      }
    }
    try (Response response = HTTP.newCall(request.put(RequestBody.create(body.toByteArray(), null)).build()).execute()) {
      return response.code();
    }
  }

  private static ChunkedUploadSigner start(String key, long length) {
    SignableRequest put = SignableRequest.builder("PUT", URI.create(server.endpoint() + "/chunks/" + key))
        .addHeader("Content-Type", "application/octet-stream").build();
    return SigV4Signer.forS3("us-east-1").signChunkedUpload(put, keys, Instant.now(), length, CHUNK);
  }

  private static void frame(ByteArrayOutputStream out, int length, String signature) {
    out.writeBytes((Integer.toHexString(length) + ";chunk-signature=" + signature + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] filled(int length, char c) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }
}
