package dev.latchkey.auth.jose;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JWS signature algorithms of RFC 7518 section 3 that this package implements with the JDK's
 * {@code java.security} providers.
 *
 * <p>ECDSA signatures are the fixed-width concatenation {@code R || S} that RFC 7518 section 3.4
 * requires, not DER. RSA keys must have at least 2048 bits (RFC 7518 sections 3.3 and 3.5), an EC
 * key must be on the curve its algorithm names, and an HMAC key must be at least as long as the hash.
 * The {@code none} algorithm is deliberately absent.
 */
public enum JwsAlgorithm {
  /** HMAC with SHA-256. */
  HS256(Family.HMAC, "HmacSHA256", 32),
  /** HMAC with SHA-384. */
  HS384(Family.HMAC, "HmacSHA384", 48),
  /** HMAC with SHA-512. */
  HS512(Family.HMAC, "HmacSHA512", 64),
  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RS256(Family.RSA, "SHA256withRSA", 0),
  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  RS384(Family.RSA, "SHA384withRSA", 0),
  /** RSASSA-PKCS1-v1_5 with SHA-512. */
  RS512(Family.RSA, "SHA512withRSA", 0),
  /** RSASSA-PSS with SHA-256 and MGF1 with SHA-256. */
  PS256(Family.RSA_PSS, "SHA-256", 32),
  /** RSASSA-PSS with SHA-384 and MGF1 with SHA-384. */
  PS384(Family.RSA_PSS, "SHA-384", 48),
  /** RSASSA-PSS with SHA-512 and MGF1 with SHA-512. */
  PS512(Family.RSA_PSS, "SHA-512", 64),
  /** ECDSA on P-256 with SHA-256. */
  ES256(Family.EC, "SHA256withECDSAinP1363Format", 32),
  /** ECDSA on P-384 with SHA-384. */
  ES384(Family.EC, "SHA384withECDSAinP1363Format", 48),
  /** ECDSA on P-521 with SHA-512. */
  ES512(Family.EC, "SHA512withECDSAinP1363Format", 66);

  private static final int MIN_RSA_BITS = 2048;

  /** The kind of key an algorithm needs. */
  enum Family { HMAC, RSA, RSA_PSS, EC }

  private final Family family;
  private final String jcaName;
  private final int size;

  JwsAlgorithm(Family family, String jcaName, int size) {
    this.family = family;
    this.jcaName = jcaName;
    this.size = size;
  }

  /**
   * Returns the algorithm with this {@code alg} name, compared exactly as RFC 7515 requires.
   *
   * @throws JoseException if the name is not one of the supported algorithms, {@code none} included
   */
  public static JwsAlgorithm fromName(String name) {
    for (JwsAlgorithm algorithm : values()) {
      if (algorithm.name().equals(name)) {
        return algorithm;
      }
    }
    throw new JoseException("Unsupported JWS algorithm '" + name + "': use one of RS256, RS384, RS512,"
        + " PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384 or HS512");
  }

  /** Returns whether the algorithm signs with a private key and verifies with a public key. */
  public boolean isAsymmetric() {
    return family != Family.HMAC;
  }

  /** Returns the JWK {@code kty} of the keys this algorithm takes: {@code RSA}, {@code EC} or {@code oct}. */
  public String keyType() {
    return switch (family) {
      case HMAC -> "oct";
      case RSA, RSA_PSS -> "RSA";
      case EC -> "EC";
    };
  }

  /** Returns the JWK {@code crv} name for ECDSA algorithms, such as {@code P-256}; {@code null} otherwise. */
  public String curveName() {
    return switch (this) {
      case ES256 -> "P-256";
      case ES384 -> "P-384";
      case ES512 -> "P-521";
      default -> null;
    };
  }

  /**
   * Signs {@code signingInput} with {@code key}.
   *
   * @throws JoseException if the key does not suit this algorithm
   */
  byte[] sign(Key key, byte[] signingInput) {
    checkKey(key, true);
    try {
      if (family == Family.HMAC) {
        return mac(key).doFinal(signingInput);
      }
      Signature signature = newSignature();
      signature.initSign((PrivateKey) key);
      signature.update(signingInput);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new JoseException("Signing with " + this + " failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Returns whether {@code signature} is a valid signature of {@code signingInput} under {@code key}.
   * A malformed signature is not valid.
   *
   * @throws JoseException if the key does not suit this algorithm
   */
  boolean verify(Key key, byte[] signingInput, byte[] signature) {
    checkKey(key, false);
    try {
      if (family == Family.HMAC) {
        return MessageDigest.isEqual(mac(key).doFinal(signingInput), signature);
      }
      if (family == Family.EC && signature.length != 2 * size) {
        return false;
      }
      Signature verifier = newSignature();
      verifier.initVerify((PublicKey) key);
      verifier.update(signingInput);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new JoseException("Verifying a " + this + " signature failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private Mac mac(Key key) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(jcaName);
    mac.init(new SecretKeySpec(key.getEncoded(), jcaName));
    return mac;
  }

  private Signature newSignature() throws GeneralSecurityException {
    if (family != Family.RSA_PSS) {
      return Signature.getInstance(jcaName);
    }
    Signature signature = Signature.getInstance("RSASSA-PSS");
    signature.setParameter(new PSSParameterSpec(jcaName, "MGF1", new MGF1ParameterSpec(jcaName), size, 1));
    return signature;
  }

  /**
   * Checks that {@code key} is of the kind and strength this algorithm needs, for signing (a private
   * or secret key) or for verifying (a public or secret key).
   *
   * @throws JoseException naming the algorithm and what the key lacks
   */
  void checkKey(Key key, boolean forSigning) {
    if (key == null) {
      throw new JoseException("No key given for " + this);
    }
    switch (family) {
      case HMAC -> checkSecretKey(key);
      case RSA, RSA_PSS -> checkRsaKey(key, forSigning);
      case EC -> checkEcKey(key, forSigning);
    }
  }

  private void checkSecretKey(Key key) {
    if (!(key instanceof SecretKey) || key.getEncoded() == null) {
      throw wrongKey(key, "a secret key");
    }
    if (key.getEncoded().length < size) {
      throw new JoseException("Invalid key for " + this + ": it has " + key.getEncoded().length
          + " bytes, but needs at least " + size);
    }
  }

  private void checkRsaKey(Key key, boolean forSigning) {
    boolean rightRole = forSigning ? key instanceof PrivateKey : key instanceof PublicKey;
    if (!(key instanceof RSAKey rsaKey) || !rightRole) {
      throw wrongKey(key, forSigning ? "an RSA private key" : "an RSA public key");
    }
    int bits = rsaKey.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new JoseException("Invalid key for " + this + ": the RSA key has " + bits
          + " bits, but needs at least " + MIN_RSA_BITS);
    }
  }

  private void checkEcKey(Key key, boolean forSigning) {
    boolean rightRole = forSigning ? key instanceof PrivateKey : key instanceof PublicKey;
    if (!(key instanceof ECKey ecKey) || !rightRole) {
      throw wrongKey(key, forSigning ? "an EC private key" : "an EC public key");
    }
    String curve = EcCurves.nameOf(ecKey.getParams());
    if (!curveName().equals(curve)) {
      throw new JoseException("Invalid key for " + this + ": the EC key is on curve " + curve
          + ", but " + this + " needs " + curveName());
    }
  }

  private JoseException wrongKey(Key key, String needed) {
    String role = "secret";
    if (key instanceof PrivateKey) {
      role = "private";
    } else if (key instanceof PublicKey) {
      role = "public";
    }
    return new JoseException("Invalid key for " + this + ": it needs " + needed + ", not an "
        + key.getAlgorithm() + " " + role + " key");
  }
}
