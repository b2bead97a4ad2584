package dev.latchkey.s3.internal;

import dev.latchkey.internal.backend.UserMetadataRules;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ObjectRef;
import java.util.Map;

/** The S3 rules for user-defined metadata, checked before a request is built, and its headers. */
public final class S3UserMetadata {

  /**
   * The maximum size of user-defined metadata that S3 accepts: 2 KB, counted as the sum of the UTF-8
   * byte lengths of every name (without {@code x-amz-meta-}) and value.
   */
  public static final int MAX_BYTES = 2048;

  private static final String PREFIX = "x-amz-meta-";
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  /** A name is an HTTP token: ASCII letters, digits and the symbols of {@link #TOKEN_SYMBOLS}. */
  private static final UserMetadataRules RULES = new UserMetadataRules("S3", "object", MAX_BYTES,
      (c, index) -> isTokenCharacter(c),
      " in an HTTP header name. Use ASCII letters, digits and " + TOKEN_SYMBOLS,
      ref -> "s3://" + ref.container() + "/" + ref.key());

  private S3UserMetadata() {}

  /**
   * Checks the names and the total size. {@code PutRequest} has already checked the values and
   * repeated names.
   *
   * @throws IllegalArgumentException if a name is not an HTTP token or the metadata is over 2 KB
   */
  public static void check(ObjectRef ref, Map<String, String> metadata) {
    RULES.check(ref, metadata);
  }

  /** Adds one {@code x-amz-meta-NAME} header per entry to a request that is still to be signed. */
  public static SignableRequest.Builder addHeaders(SignableRequest.Builder request, Map<String, String> metadata) {
    metadata.forEach((name, value) -> request.addHeader(PREFIX + name, value));
    return request;
  }

  private static boolean isTokenCharacter(char c) {
    boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    return alphanumeric || TOKEN_SYMBOLS.indexOf(c) >= 0;
  }
}
