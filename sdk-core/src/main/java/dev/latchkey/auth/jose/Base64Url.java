package dev.latchkey.auth.jose;

import java.util.Base64;

/** Unpadded base64url of RFC 7515 section 2, strict when decoding. */
final class Base64Url {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /**
   * Decodes unpadded base64url.
   *
   * @param partName the name of the part being decoded, for the error message
   * @throws JoseException if the text has padding or characters outside the base64url alphabet
   */
  static byte[] decode(String text, String partName) {
    if (text.indexOf('=') >= 0) {
      throw new JoseException("Invalid " + partName + ": base64url in JOSE must not be padded with '='");
    }
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw new JoseException("Invalid " + partName + ": it is not base64url", e);
    }
  }
}
