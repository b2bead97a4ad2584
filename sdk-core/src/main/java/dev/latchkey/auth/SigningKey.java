package dev.latchkey.auth;

import dev.latchkey.auth.internal.Pem;
import dev.latchkey.auth.jose.Jwk;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.auth.jose.JwsSigner;
import dev.latchkey.credentials.ClientCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A private key that signs JWT client assertions and JWT bearer grants, with its JWS algorithm and
 * the header that identifies the key to the server: {@code kid}, {@code x5t#S256} or both.
 *
 * <p>The key comes from unencrypted PKCS#8 PEM, a JWK, or an entry of a {@link KeyStore}. RS256,
 * PS256 and ES256 are the algorithms token servers accept most widely; every asymmetric {@link
 * JwsAlgorithm} works. {@link #toString()} shows the algorithm and the key header, never key
 * material. Instances are immutable and thread-safe.
 */
public final class SigningKey {

  private final JwsSigner signer;
  private final Map<String, Object> header;

  private SigningKey(JwsSigner signer, Map<String, Object> header) {
    this.signer = signer;
    this.header = Collections.unmodifiableMap(new LinkedHashMap<>(header));
  }

  public static Builder builder() {
    return new Builder();
  }

  public JwsAlgorithm algorithm() {
    return signer.algorithm();
  }

  /** Returns the JWS header members that identify the key ({@code kid}, {@code x5t#S256}); unmodifiable. */
  public Map<String, Object> header() {
    return header;
  }

  /**
   * Signs a claims set as a compact JWT with header {@code typ: JWT} and the key header.
   *
   * @throws dev.latchkey.auth.jose.JoseException if signing fails
   */
  public String sign(Map<String, ?> claims) {
    Map<String, Object> fullHeader = new LinkedHashMap<>();
    fullHeader.put("typ", "JWT");
    fullHeader.putAll(header);
    return signer.signJson(fullHeader, claims);
  }

  @Override
  public String toString() {
    return "SigningKey[" + signer.algorithm() + ", " + header + "]";
  }

  /** Builder for {@link SigningKey}; not thread-safe. Set the algorithm, one key source, and a key id or certificate. */
  public static final class Builder {
    private JwsAlgorithm algorithm;
    private Key key;
    private String keyId;
    private X509Certificate certificate;

    private Builder() {}

    /**
     * Sets the algorithm.
     *
     * @throws IllegalArgumentException if it is an HMAC algorithm, which has no private key
     */
    public Builder algorithm(JwsAlgorithm algorithm) {
      Objects.requireNonNull(algorithm, "algorithm");
      if (!algorithm.isAsymmetric()) {
        throw new IllegalArgumentException("Invalid signing key algorithm " + algorithm
            + ": client assertions need an asymmetric algorithm such as RS256, PS256 or ES256");
      }
      this.algorithm = algorithm;
      return this;
    }

    /** Sets the private key itself. */
    public Builder privateKey(PrivateKey privateKey) {
      this.key = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Reads the private key from unencrypted PKCS#8 PEM text ({@code BEGIN PRIVATE KEY}).
     *
     * @throws IllegalArgumentException if the text contains no such key; the message explains how to convert
     *     other formats
     */
    public Builder privateKeyPem(String pem) {
      Objects.requireNonNull(pem, "pem");
      this.key = Pem.readPrivateKey(pem, "the PEM text");
      return this;
    }

    /**
     * Reads the private key from a PKCS#8 PEM file, once, now.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if it contains no unencrypted PKCS#8 key
     */
    public Builder privateKeyPemFile(Path file) {
      Objects.requireNonNull(file, "file");
      try {
        this.key = Pem.readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read private key file " + file + ": " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * Takes the private key from a JWK with private members; its {@code kid}, if any, becomes the
     * key id unless {@link #keyId(String)} sets another.
     */
    public Builder jwk(Jwk jwk) {
      Objects.requireNonNull(jwk, "jwk");
      this.key = jwk.privateKey();
      if (keyId == null) {
        this.keyId = jwk.keyId().orElse(null);
      }
      return this;
    }

    /**
     * Takes the private key and certificate of a key store entry; the certificate's SHA-256
     * thumbprint becomes the {@code x5t#S256} header.
     *
     * @throws IllegalArgumentException if the alias has no private key entry or the password is wrong
     */
    public Builder keyStore(KeyStore keyStore, String alias, char[] password) {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(alias, "alias");
      try {
        if (!(keyStore.getKey(alias, password) instanceof PrivateKey privateKey)) {
          throw new IllegalArgumentException("Key store alias '" + alias + "' has no private key entry");
        }
        this.key = privateKey;
        Certificate entryCertificate = keyStore.getCertificate(alias);
        if (entryCertificate instanceof X509Certificate x509) {
          this.certificate = x509;
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("Cannot read key store alias '" + alias
            + "': " + e.getClass().getSimpleName() + " (is the password right?)", e);
      }
      return this;
    }

    /** Sets the {@code kid} header, the id under which the server registered the public key. */
    public Builder keyId(String keyId) {
      Objects.requireNonNull(keyId, "keyId");
      if (keyId.isBlank()) {
        throw new IllegalArgumentException("Invalid key id '': pass the kid the server registered");
      }
      this.keyId = keyId;
      return this;
    }

    /** Sets the certificate of the key; its SHA-256 thumbprint becomes the {@code x5t#S256} header. */
    public Builder certificate(X509Certificate certificate) {
      this.certificate = Objects.requireNonNull(certificate, "certificate");
      return this;
    }

    /**
     * Builds the signing key.
     *
     * @throws IllegalStateException if the algorithm or key is missing, or neither a key id nor a
     *     certificate identifies the key
     * @throws dev.latchkey.auth.jose.JoseException if the key does not suit the algorithm
     */
    public SigningKey build() {
      if (algorithm == null) {
        throw new IllegalStateException("A signing key needs an algorithm: call algorithm(JwsAlgorithm.RS256) or another");
      }
      if (key == null) {
        throw new IllegalStateException("A signing key needs a private key: call privateKeyPem, privateKeyPemFile, jwk or keyStore");
      }
      if (keyId == null && certificate == null) {
        throw new IllegalStateException("A signing key needs a key id or a certificate so the server can find the public key:"
            + " call keyId(...) or certificate(...)");
      }
      Map<String, Object> header = new LinkedHashMap<>();
      if (keyId != null) {
        header.put("kid", keyId);
      }
      if (certificate != null) {
        header.put("x5t#S256", ClientCertificate.of((PrivateKey) key, List.of(certificate)).sha256Thumbprint());
      }
      return new SigningKey(JwsSigner.of(algorithm, key), header);
    }
  }
}
