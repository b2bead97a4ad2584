package dev.latchkey.audit.internal;

import dev.latchkey.credentials.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash chain's line format and HMAC-SHA256. A chained line is the event's JSON object with two
 * fields added at its end, in this order:
 *
 * <pre>{...event fields...,"latchkey.chain.prev":"&lt;64 hex&gt;","latchkey.chain.mac":"&lt;64 hex&gt;"}</pre>
 *
 * <p>{@code prev} is the {@code mac} of the line before (64 zeros for the first line of a chain), and
 * {@code mac} is the HMAC-SHA256, keyed with the chain key, of the UTF-8 bytes of the line up to and
 * including the {@code prev} field, closed with {@code }}: that is, the line with {@code
 * ,"latchkey.chain.mac":"..."} removed. Not thread-safe: one instance per writer or verifier.
 */
public final class ChainMac {

  public static final String GENESIS = "0".repeat(64);
  public static final String PREV_FIELD = "latchkey.chain.prev";
  public static final String MAC_FIELD = "latchkey.chain.mac";

  /** The bytes between the end of the {@code prev} field and the mac's hex digits. */
  public static final byte[] MAC_PREFIX = (",\"" + MAC_FIELD + "\":\"").getBytes(StandardCharsets.US_ASCII);

  /** The length of {@code ,"latchkey.chain.mac":"<64 hex>"}} at the end of a chained line. */
  public static final int MAC_SUFFIX_LENGTH = MAC_PREFIX.length + 64 + 2;

  private static final HexFormat HEX = HexFormat.of();

  private final Mac mac;

  public ChainMac(SecretValue key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.revealUtf8(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  /** Returns the hex HMAC-SHA256 of {@code body[0, length)} followed by a closing brace. */
  public String macOf(byte[] body, int length) {
    mac.update(body, 0, length);
    mac.update((byte) '}');
    return HEX.formatHex(mac.doFinal());
  }
}
