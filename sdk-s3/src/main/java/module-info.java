/** Latchkey S3: SigV4 signing, AWS credential sources, the native S3 backend and the AWS SDK v2 bridge. */
module dev.latchkey.s3 {
  requires transitive dev.latchkey.core;
  requires com.github.benmanes.caffeine;
  requires java.xml;
  requires org.slf4j;

  // The AWS SDK v2 is optional: only dev.latchkey.s3.bridge uses it.
  requires static software.amazon.awssdk.auth;
  requires static software.amazon.awssdk.awscore;
  requires static software.amazon.awssdk.core;
  requires static software.amazon.awssdk.http;
  requires static software.amazon.awssdk.identity.spi;
  requires static software.amazon.awssdk.services.s3;
  requires static software.amazon.awssdk.utils;

  exports dev.latchkey.s3;
  exports dev.latchkey.s3.bridge;
  exports dev.latchkey.s3.credentials;
}
