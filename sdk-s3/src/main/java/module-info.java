/** Latchkey S3: SigV4 signing, AWS credential sources, the native S3 backend and the AWS SDK v2 bridge. */
module dev.latchkey.s3 {
  requires transitive dev.latchkey.core;
  requires com.github.benmanes.caffeine;
  requires java.xml;
  requires org.slf4j;

  exports dev.latchkey.s3;
  exports dev.latchkey.s3.credentials;
}
