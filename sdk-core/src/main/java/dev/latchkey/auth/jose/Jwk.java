package dev.latchkey.auth.jose;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JSON Web Key (RFC 7517) of type {@code RSA}, {@code EC} (curves P-256, P-384 and P-521) or
 * {@code oct}, turned into JDK keys.
 *
 * <p>A JWK with private members ({@code d}, or {@code k} for {@code oct}) gives a signing key; every
 * RSA and EC JWK gives a public key. EC coordinates must have the full length of the curve and the
 * point must lie on the curve. Members this class does not use are ignored.
 *
 * <p>{@link #toString()} shows the key type, id and whether private members are present, never key
 * material. Instances are immutable and thread-safe.
 */
public final class Jwk {

  private final String keyType;
  private final String keyId;
  private final String use;
  private final String algorithm;
  private final PublicKey publicKey;
  private final Key signingKey;
  private final Map<String, String> publicMembers;

  private Jwk(Map<String, Object> members, PublicKey publicKey, Key signingKey,
      Map<String, String> publicMembers) {
    this.keyType = (String) members.get("kty");
    this.keyId = optionalString(members, "kid");
    this.use = optionalString(members, "use");
    this.algorithm = optionalString(members, "alg");
    this.publicKey = publicKey;
    this.signingKey = signingKey;
    this.publicMembers = publicMembers;
  }

  /**
   * Parses one JWK from its JSON text.
   *
   * @throws JoseException if the JSON is not an object, {@code kty} is missing or unsupported, or a
   *     required member is missing or malformed; the message names the member
   */
  public static Jwk parse(String json) {
    Objects.requireNonNull(json, "json");
    return fromMembers(JoseJson.parseObject(json.getBytes(StandardCharsets.UTF_8), "JWK"));
  }

  /**
   * Creates a JWK from the members of a parsed JSON object, such as one entry of a JWK Set.
   *
   * @throws JoseException as {@link #parse(String)} does
   */
  public static Jwk fromMembers(Map<String, ?> members) {
    Map<String, Object> copy = new LinkedHashMap<>(members);
    String keyType = requiredString(copy, "kty");
    return switch (keyType) {
      case "RSA" -> rsa(copy);
      case "EC" -> ec(copy);
      case "oct" -> oct(copy);
      default -> throw new JoseException("Unsupported JWK key type (kty) '" + keyType + "': use RSA, EC or oct");
    };
  }

  /**
   * Creates the public JWK of an RSA or EC public key, to publish in a JWK Set.
   *
   * @param keyId the {@code kid}, or {@code null} for none
   * @throws JoseException if the key is neither RSA nor EC on P-256, P-384 or P-521
   */
  public static Jwk fromPublicKey(PublicKey key, String keyId) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> members = new LinkedHashMap<>();
    if (key instanceof RSAPublicKey rsa) {
      members.put("kty", "RSA");
      members.put("n", Base64Url.encode(unsigned(rsa.getModulus())));
      members.put("e", Base64Url.encode(unsigned(rsa.getPublicExponent())));
    } else if (key instanceof ECPublicKey ec) {
      String curve = EcCurves.nameOf(ec.getParams());
      int length = EcCurves.coordinateLength(curve);
      members.put("kty", "EC");
      members.put("crv", curve);
      members.put("x", Base64Url.encode(fixedLength(ec.getW().getAffineX(), length)));
      members.put("y", Base64Url.encode(fixedLength(ec.getW().getAffineY(), length)));
    } else {
      throw new JoseException("Unsupported public key algorithm " + key.getAlgorithm() + ": use RSA or EC");
    }
    if (keyId != null) {
      members.put("kid", keyId);
    }
    return fromMembers(members);
  }

  /** Returns the {@code kty}: {@code RSA}, {@code EC} or {@code oct}. */
  public String keyType() {
    return keyType;
  }

  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  /** Returns the {@code use} member, such as {@code sig}, if present. */
  public Optional<String> use() {
    return Optional.ofNullable(use);
  }

  /** Returns the {@code alg} member, if present. */
  public Optional<String> algorithm() {
    return Optional.ofNullable(algorithm);
  }

  /** Returns whether the JWK carries private key material ({@code d}, or {@code k} for {@code oct}). */
  public boolean hasPrivateKey() {
    return signingKey != null;
  }

  /**
   * Returns the key that verifies signatures: the public key, or the secret key for {@code oct}.
   */
  public Key verificationKey() {
    return publicKey != null ? publicKey : signingKey;
  }

  /** Returns the public key; empty for {@code oct}. */
  public Optional<PublicKey> publicKey() {
    return Optional.ofNullable(publicKey);
  }

  /**
   * Returns the key that signs: the private key, or the secret key for {@code oct}.
   *
   * @throws JoseException if the JWK has no private members
   */
  public Key signingKey() {
    if (signingKey == null) {
      throw new JoseException("JWK " + describe() + " has no private key: a signing JWK needs the 'd' member");
    }
    return signingKey;
  }

  /**
   * Returns the private key of an RSA or EC JWK.
   *
   * @throws JoseException if the JWK has no private members or is an {@code oct} key
   */
  public PrivateKey privateKey() {
    if (!(signingKey() instanceof PrivateKey privateKey)) {
      throw new JoseException("JWK " + describe() + " is a secret key, not a private key");
    }
    return privateKey;
  }

  /**
   * Returns the JSON of the public members only ({@code kty}, {@code kid}, {@code use}, {@code alg}
   * and the public key), fit to publish in a JWK Set.
   *
   * @throws JoseException for an {@code oct} key, which has no public part
   */
  public String toPublicJson() {
    return new String(JoseJson.write(publicMembers()), StandardCharsets.UTF_8);
  }

  Map<String, Object> publicMembers() {
    if (publicKey == null) {
      throw new JoseException("JWK " + describe() + " is a secret (oct) key and has no public form");
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("kty", keyType);
    putIfPresent(members, "kid", keyId);
    putIfPresent(members, "use", use);
    putIfPresent(members, "alg", algorithm);
    members.putAll(publicMembers);
    return members;
  }

  /**
   * Returns the RFC 7638 JWK thumbprint: the base64url SHA-256 of the required public members in
   * lexicographic order. It is a stable {@code kid} for a key.
   */
  public String thumbprint() {
    StringBuilder json = new StringBuilder("{");
    Map<String, String> required = new java.util.TreeMap<>(publicMembers);
    required.put("kty", keyType);
    for (Map.Entry<String, String> member : required.entrySet()) {
      json.append(json.length() > 1 ? "," : "").append('"').append(member.getKey()).append("\":\"")
          .append(member.getValue()).append('"');
    }
    json.append('}');
    return Base64Url.encode(sha256(json.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public String toString() {
    return "Jwk[" + describe() + ", private=" + hasPrivateKey() + "]";
  }

  private String describe() {
    return "kty=" + keyType + (keyId == null ? "" : ", kid=" + keyId);
  }

  private static Jwk rsa(Map<String, Object> members) {
    BigInteger modulus = requiredInteger(members, "n");
    BigInteger exponent = requiredInteger(members, "e");
    PublicKey publicKey = (PublicKey) generate("RSA", new RSAPublicKeySpec(modulus, exponent), false);
    PrivateKey privateKey = null;
    if (members.containsKey("d")) {
      privateKey = (PrivateKey) generate("RSA", rsaPrivateSpec(members, modulus, exponent), true);
    }
    Map<String, String> publicMembers = new LinkedHashMap<>();
    publicMembers.put("n", (String) members.get("n"));
    publicMembers.put("e", (String) members.get("e"));
    return new Jwk(members, publicKey, privateKey, publicMembers);
  }

  private static KeySpec rsaPrivateSpec(Map<String, Object> members, BigInteger modulus, BigInteger exponent) {
    BigInteger privateExponent = requiredInteger(members, "d");
    boolean hasCrt = members.containsKey("p") && members.containsKey("q") && members.containsKey("dp")
        && members.containsKey("dq") && members.containsKey("qi");
    if (!hasCrt) {
      return new RSAPrivateKeySpec(modulus, privateExponent);
    }
    return new RSAPrivateCrtKeySpec(modulus, exponent, privateExponent,
        requiredInteger(members, "p"), requiredInteger(members, "q"), requiredInteger(members, "dp"),
        requiredInteger(members, "dq"), requiredInteger(members, "qi"));
  }

  private static Jwk ec(Map<String, Object> members) {
    String curve = requiredString(members, "crv");
    ECParameterSpec parameters = EcCurves.parameters(curve);
    int length = EcCurves.coordinateLength(curve);
    ECPoint point = new ECPoint(coordinate(members, "x", length), coordinate(members, "y", length));
    checkOnCurve(point, parameters, curve);
    PublicKey publicKey = (PublicKey) generate("EC", new ECPublicKeySpec(point, parameters), false);
    PrivateKey privateKey = null;
    if (members.containsKey("d")) {
      BigInteger d = coordinate(members, "d", length);
      privateKey = (PrivateKey) generate("EC", new ECPrivateKeySpec(d, parameters), true);
    }
    Map<String, String> publicMembers = new LinkedHashMap<>();
    publicMembers.put("crv", curve);
    publicMembers.put("x", (String) members.get("x"));
    publicMembers.put("y", (String) members.get("y"));
    return new Jwk(members, publicKey, privateKey, publicMembers);
  }

  private static Jwk oct(Map<String, Object> members) {
    byte[] secret = Base64Url.decode(requiredString(members, "k"), "JWK member 'k'");
    if (secret.length == 0) {
      throw new JoseException("Invalid JWK member 'k': the secret key is empty");
    }
    SecretKey key = new SecretKeySpec(secret, "HMAC");
    return new Jwk(members, null, key, Map.of());
  }

  /** Checks y² = x³ + ax + b (mod p), so a crafted point off the curve is rejected. */
  private static void checkOnCurve(ECPoint point, ECParameterSpec parameters, String curve) {
    BigInteger p = ((java.security.spec.ECFieldFp) parameters.getCurve().getField()).getP();
    BigInteger x = point.getAffineX();
    BigInteger y = point.getAffineY();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      throw new JoseException("Invalid EC JWK: the point (x, y) is not on curve " + curve);
    }
    BigInteger left = y.modPow(BigInteger.TWO, p);
    BigInteger right = x.pow(3).add(parameters.getCurve().getA().multiply(x))
        .add(parameters.getCurve().getB()).mod(p);
    if (!left.equals(right)) {
      throw new JoseException("Invalid EC JWK: the point (x, y) is not on curve " + curve);
    }
  }

  private static Key generate(String algorithm, KeySpec spec, boolean isPrivate) {
    try {
      KeyFactory factory = KeyFactory.getInstance(algorithm);
      return isPrivate ? factory.generatePrivate(spec) : factory.generatePublic(spec);
    } catch (GeneralSecurityException e) {
      throw new JoseException("Invalid " + algorithm + " JWK: the JDK rejected the key ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static BigInteger coordinate(Map<String, Object> members, String name, int length) {
    byte[] bytes = Base64Url.decode(requiredString(members, name), "JWK member '" + name + "'");
    if (bytes.length != length) {
      throw new JoseException("Invalid JWK member '" + name + "': it has " + bytes.length
          + " bytes, but the curve needs exactly " + length);
    }
    return new BigInteger(1, bytes);
  }

  private static BigInteger requiredInteger(Map<String, Object> members, String name) {
    byte[] bytes = Base64Url.decode(requiredString(members, name), "JWK member '" + name + "'");
    if (bytes.length == 0) {
      throw new JoseException("Invalid JWK member '" + name + "': it is empty");
    }
    return new BigInteger(1, bytes);
  }

  private static String requiredString(Map<String, Object> members, String name) {
    Object value = members.get(name);
    if (value == null) {
      throw new JoseException("Invalid JWK: the member '" + name + "' is missing");
    }
    if (!(value instanceof String text)) {
      throw new JoseException("Invalid JWK member '" + name + "': it must be a string");
    }
    return text;
  }

  private static String optionalString(Map<String, Object> members, String name) {
    return members.containsKey(name) ? requiredString(members, name) : null;
  }

  private static void putIfPresent(Map<String, Object> members, String name, String value) {
    if (value != null) {
      members.put(name, value);
    }
  }

  static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      return java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return bytes;
  }

  private static byte[] fixedLength(BigInteger value, int length) {
    byte[] bytes = unsigned(value);
    byte[] padded = new byte[length];
    System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
    return padded;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
