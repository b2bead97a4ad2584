package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.SigningBuffer;
import dev.latchkey.azure.internal.ServiceVersions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The options every kind of SAS shares: version, validity window, protocol, IP range and encryption
 * scope. Immutable and thread-safe.
 */
final class SasGrant {

  /** The SAS version used unless another is set: the newest version Azurite 3.35.0 accepts. */
  static final String DEFAULT_VERSION = "2025-11-05";
  private static final int DEFAULT_VERSION_NUMBER = ServiceVersions.checkedNumber("SAS version", DEFAULT_VERSION);

  static final Duration DEFAULT_SKEW_MARGIN = Duration.ofMinutes(5);
  static final Duration MAX_SKEW_MARGIN = Duration.ofHours(1);
  static final Duration MAX_LIFETIME = Duration.ofDays(7);

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private final String version;
  /** The version as the number {@code yyyyMMdd}, for comparisons with the versions that changed the layout. */
  private final int versionNumber;
  private final Instant startsOn;
  private final Instant expiresOn;
  private final Duration lifetime;
  private final Duration skewMargin;
  private final InstantSource clock;
  private final SasProtocol protocol;
  private final String ipRange;
  private final String encryptionScope;

  private SasGrant(Builder builder) {
    this.version = builder.version;
    this.versionNumber = builder.versionNumber;
    this.startsOn = builder.startsOn;
    this.expiresOn = builder.expiresOn;
    this.lifetime = builder.lifetime;
    this.skewMargin = builder.skewMargin;
    this.clock = builder.clock;
    this.protocol = builder.protocol;
    this.ipRange = builder.ipRange;
    this.encryptionScope = builder.encryptionScope;
  }

  static Builder builder() {
    return new Builder();
  }

  String version() {
    return version;
  }

  /** Returns whether the version is {@code yyyyMMdd} or later, such as 20181109 for 2018-11-09. */
  boolean isAtLeast(int versionDate) {
    return versionNumber >= versionDate;
  }

  SasProtocol protocol() {
    return protocol;
  }

  String protocolValue() {
    return protocol.value();
  }

  String ipRange() {
    return ipRange;
  }

  String encryptionScope() {
    return encryptionScope;
  }

  /**
   * Returns the validity window at the current time, kept inside the lifetime of the signing key
   * when it has one.
   *
   * @param keyStart the start of the signing key's validity, or {@code null} for an account key
   * @param keyExpiry the end of the signing key's validity, or {@code null} for an account key
   * @throws IllegalStateException if the window would end before the current time or its start
   */
  Window window(Instant keyStart, Instant keyExpiry) {
    Instant now = clock.instant();
    Instant start = startsOn != null ? startsOn : now.minus(skewMargin);
    Instant expiry = expiresOn;
    if (expiry == null && lifetime != null) {
      expiry = now.plus(lifetime);
    }
    if (keyStart != null && start.isBefore(keyStart)) {
      start = keyStart;
    }
    if (keyExpiry != null && (expiry == null || expiry.isAfter(keyExpiry))) {
      expiry = keyExpiry;
    }
    checkWindow(now, start, expiry, keyExpiry);
    return Window.of(start, expiry);
  }

  private static void checkWindow(Instant now, Instant start, Instant expiry, Instant keyExpiry) {
    if (expiry == null) {
      return;
    }
    if (!expiry.isAfter(now)) {
      String reason = keyExpiry != null && expiry.equals(keyExpiry) ? " (the signing key's expiry)" : "";
      throw new IllegalStateException("Cannot sign a SAS that expires at " + expiry + reason
          + ", which is not after the current time " + now + ": choose a later expiry or a fresh key");
    }
    if (!expiry.isAfter(start)) {
      throw new IllegalStateException(
          "Cannot sign a SAS that expires at " + expiry + ", before its start " + start + ": choose a later expiry");
    }
  }

  /** Checks that options only newer layouts carry are not combined with an older version. */
  void checkVersionOptions(String ipRangeVersion, String encryptionScopeVersion) {
    if (ipRange != null && version.compareTo(ipRangeVersion) < 0) {
      throw new IllegalStateException(
          "Invalid SAS version " + version + " with an IP range: use " + ipRangeVersion + " or later");
    }
    if (encryptionScope != null && version.compareTo(encryptionScopeVersion) < 0) {
      throw new IllegalStateException("Invalid SAS version " + version + " with an encryption scope: use "
          + encryptionScopeVersion + " or later");
    }
  }

  /** Returns {@code value} if it is non-empty without control characters, else throws naming {@code option}. */
  static String checkText(String option, String value) {
    Objects.requireNonNull(value, option);
    if (value.isEmpty() || hasControlCharacter(value)) {
      throw new IllegalArgumentException(
          "Invalid SAS " + option + " '" + value + "': it must be non-empty without control characters");
    }
    return value;
  }

  private static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The start and expiry of one signing. They are formatted straight into the string to sign and the
   * query, with no intermediate strings; tests may give fixed texts in their place.
   */
  static final class Window {
    private final Instant start;
    private final Instant expiry;
    private final String startText;
    private final String expiryText;

    private Window(Instant start, Instant expiry, String startText, String expiryText) {
      this.start = start;
      this.expiry = expiry;
      this.startText = startText;
      this.expiryText = expiryText;
    }

    /** Returns the window from {@code start} to {@code expiry}, which is {@code null} when a stored access policy sets it. */
    static Window of(Instant start, Instant expiry) {
      return new Window(start, truncateToSecond(expiry), null, null);
    }

    /** Returns {@code time} truncated to the second like {@code truncatedTo(ChronoUnit.SECONDS)}, or null. */
    private static Instant truncateToSecond(Instant time) {
      if (time == null || time.getNano() == 0) {
        return time;
      }
      return Instant.ofEpochSecond(time.getEpochSecond());
    }

    /** Returns a window whose start and expiry are written as the given texts; for tests. */
    static Window ofText(String startText, String expiryText) {
      return new Window(null, null, startText, expiryText);
    }

    /** Returns the expiry truncated to the second, or {@code null}. */
    Instant expiryInstant() {
      return expiry;
    }

    boolean hasExpiry() {
      return expiry != null || expiryText != null;
    }

    /** Writes the start, a newline and the expiry, which is empty when the window has none. */
    void writeFields(SigningBuffer buffer) {
      if (start != null && expiry != null) {
        buffer.appendSasTimes(start, expiry, false);
        return;
      }
      writeStart(buffer, false);
      buffer.append('\n');
      writeExpiry(buffer, false);
    }

    /** Writes {@code &st=} and, when the window has an expiry, {@code &se=}, with percent-encoded values. */
    void writeQuery(SigningBuffer buffer) {
      if (start != null && expiry != null) {
        buffer.appendSasTimes(start, expiry, true);
        return;
      }
      buffer.append("&st=");
      writeStart(buffer, true);
      if (hasExpiry()) {
        buffer.append("&se=");
        writeExpiry(buffer, true);
      }
    }

    /** Writes the start ({@code st}) in ISO 8601 form, percent-encoded when {@code queryEncoded}. */
    void writeStart(SigningBuffer buffer, boolean queryEncoded) {
      write(buffer, start, startText, queryEncoded);
    }

    /** Writes the expiry ({@code se}) like {@link #writeStart}; nothing when there is none. */
    void writeExpiry(SigningBuffer buffer, boolean queryEncoded) {
      write(buffer, expiry, expiryText, queryEncoded);
    }

    private static void write(SigningBuffer buffer, Instant time, String text, boolean queryEncoded) {
      if (time != null) {
        buffer.appendIsoTime(time, queryEncoded);
      } else if (text != null) {
        if (queryEncoded) {
          buffer.appendQueryComponent(text);
        } else {
          buffer.append(text);
        }
      }
    }
  }

  /** Builder for {@link SasGrant}; not thread-safe. */
  static final class Builder {
    private String version = DEFAULT_VERSION;
    private int versionNumber = DEFAULT_VERSION_NUMBER;
    private Instant startsOn;
    private Instant expiresOn;
    private Duration lifetime;
    private Duration skewMargin = DEFAULT_SKEW_MARGIN;
    private InstantSource clock = InstantSource.system();
    private SasProtocol protocol = SasProtocol.HTTPS_ONLY;
    private String ipRange;
    private String encryptionScope;

    void version(String version) {
      this.versionNumber = ServiceVersions.checkedNumber("SAS version", version);
      this.version = version;
    }

    void startsOn(Instant startsOn) {
      this.startsOn = Objects.requireNonNull(startsOn, "startsOn");
    }

    void expiresOn(Instant expiresOn) {
      Objects.requireNonNull(expiresOn, "expiresOn");
      if (lifetime != null) {
        throw new IllegalStateException("Invalid SAS expiry: lifetime(...) is already set; use one of the two");
      }
      this.expiresOn = expiresOn;
    }

    void lifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
        throw new IllegalArgumentException("Invalid SAS lifetime " + lifetime + ": use 1 second to 7 days (PT168H)");
      }
      if (expiresOn != null) {
        throw new IllegalStateException("Invalid SAS lifetime: expiresOn(...) is already set; use one of the two");
      }
      this.lifetime = lifetime;
    }

    void skewMargin(Duration margin) {
      Objects.requireNonNull(margin, "skewMargin");
      if (margin.isNegative() || margin.compareTo(MAX_SKEW_MARGIN) > 0) {
        throw new IllegalArgumentException("Invalid SAS skew margin " + margin + ": use 0 to 1 hour (PT1H)");
      }
      this.skewMargin = margin;
    }

    void clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    void protocol(SasProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    void ipRange(String ipRange) {
      Objects.requireNonNull(ipRange, "ipRange");
      String[] ends = ipRange.split("-", -1);
      if (ends.length > 2 || !isIpv4(ends[0]) || (ends.length == 2 && !isIpv4(ends[1]))) {
        throw new IllegalArgumentException(
            "Invalid SAS IP range '" + ipRange + "': use one IPv4 address or a range such as 10.0.0.1-10.0.0.9");
      }
      this.ipRange = ipRange;
    }

    void encryptionScope(String encryptionScope) {
      this.encryptionScope = checkText("encryptionScope", encryptionScope);
    }

    boolean hasExpiry() {
      return expiresOn != null || lifetime != null;
    }

    String version() {
      return version;
    }

    void checkVersionOptions(String ipRangeVersion, String encryptionScopeVersion) {
      build().checkVersionOptions(ipRangeVersion, encryptionScopeVersion);
    }

    SasGrant build() {
      return new SasGrant(this);
    }

    private static boolean isIpv4(String text) {
      var matcher = IPV4.matcher(text);
      if (!matcher.matches()) {
        return false;
      }
      for (int group = 1; group <= 4; group++) {
        if (Integer.parseInt(matcher.group(group)) > 255) {
          return false;
        }
      }
      return true;
    }
  }
}
