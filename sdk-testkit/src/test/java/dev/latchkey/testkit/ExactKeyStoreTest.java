package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** The exact-key view of S3Proxy's in-memory store, called directly, without HTTP. */
class ExactKeyStoreTest {

  private static final String BUCKET = "keys";

  @Test
  void defaultStoreMergesEmptySegments() throws IOException {
    // Pins what the S3ProxyServer documentation says of the default store, so that it stays true.
    BlobStore store = S3ProxyServer.newTransientBlobStore();
    store.createContainer(BUCKET);

    put(store, "a//b", "doubled");

    assertThat(keys(store, ListObjectsV2Request.builder().bucket(BUCKET).build())).containsExactly("a/b");
    assertThat(read(store, "a/b")).isEqualTo("doubled");
  }

  @Test
  void exactStoreKeepsEveryKeyApart() throws IOException {
    BlobStore store = S3ProxyServer.exactKeys(S3ProxyServer.newTransientBlobStore());
    store.createContainer(BUCKET);
    List<String> keys = List.of("a/b", "a//b", "a/./b", "a/../b", "/a/b", "a/b/", "a/b/c", "a", ".", "..", "/");

    for (String key : keys) {
      put(store, key, "body of " + key);
    }

    assertThat(keys(store, ListObjectsV2Request.builder().bucket(BUCKET).build()))
        .containsExactly(".", "..", "/", "/a/b", "a", "a/../b", "a/./b", "a//b", "a/b", "a/b/", "a/b/c");
    for (String key : keys) {
      assertThat(read(store, key)).as(key).isEqualTo("body of " + key);
    }
  }

  @Test
  void exactStoreListsPrefixesAndPages() {
    BlobStore store = S3ProxyServer.exactKeys(S3ProxyServer.newTransientBlobStore());
    store.createContainer(BUCKET);
    for (String key : List.of("p/a//x", "p/./y", "p/z", "p//", "q")) {
      put(store, key, key);
    }

    ListObjectsV2Response grouped = store.list(ListObjectsV2Request.builder().bucket(BUCKET).prefix("p/")
        .delimiter("/").build());
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response page = store.list(ListObjectsV2Request.builder().bucket(BUCKET).maxKeys(2)
          .continuationToken(token).build());
      page.contents().forEach(object -> paged.add(object.key()));
      token = page.nextContinuationToken();
    } while (token != null);

    assertThat(grouped.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("p/./", "p//", "p/a/");
    assertThat(grouped.contents()).extracting(S3Object::key).containsExactly("p/z");
    assertThat(paged).containsExactly("p/./y", "p//", "p/a//x", "p/z", "q");
  }

  @Test
  void exactStoreCompletesMultipartUpload() throws IOException {
    BlobStore store = S3ProxyServer.exactKeys(S3ProxyServer.newTransientBlobStore());
    store.createContainer(BUCKET);
    String key = "/multi//part/../upload";
    MultipartUpload upload = store.initiateMultipartUpload(
        CreateMultipartUploadRequest.builder().bucket(BUCKET).key(key).build());
    byte[] part = "one part".getBytes(StandardCharsets.UTF_8);

    UploadPartResponse uploaded = store.uploadMultipartPart(upload, UploadPartRequest.builder().bucket(BUCKET)
        .key(key).uploadId(upload.id()).partNumber(1).contentLength((long) part.length).build(),
        new ByteArrayInputStream(part));
    store.completeMultipartUpload(upload, CompleteMultipartUploadRequest.builder().bucket(BUCKET).key(key)
        .uploadId(upload.id()).multipartUpload(CompletedMultipartUpload.builder()
            .parts(CompletedPart.builder().partNumber(1).eTag(uploaded.eTag()).build()).build())
        .build());

    assertThat(upload.blobName()).isEqualTo(key);
    assertThat(read(store, key)).isEqualTo("one part");
    assertThat(keys(store, ListObjectsV2Request.builder().bucket(BUCKET).build())).containsExactly(key);
  }

  private static void put(BlobStore store, String key, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    store.putBlob(PutObjectRequest.builder().bucket(BUCKET).key(key).contentLength((long) bytes.length).build(),
        new ByteArrayInputStream(bytes));
  }

  private static String read(BlobStore store, String key) throws IOException {
    try (InputStream in = store.getBlob(BUCKET, key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> keys(BlobStore store, ListObjectsV2Request request) {
    return store.list(request).contents().stream().map(S3Object::key).toList();
  }
}
