package dev.latchkey.azure.internal.identity;

import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.SecretValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Loads a client certificate and its private key from a PEM or PKCS#12 file, the two formats Azure
 * tools write (the format is recognised from the content, not the file name).
 *
 * <p>A PEM file contains a PKCS#8 private key ({@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} with
 * a password) and one or more certificates; the certificate whose public key matches the private key
 * becomes the leaf. A PKCS#12 file contains one key entry, protected by the password or by none. RSA and
 * EC keys are supported.
 */
public final class CertificateFiles {

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private CertificateFiles() {}

  /**
   * Loads the certificate file at {@code path}.
   *
   * @param password the password of an encrypted key or a PKCS#12 file, or {@code null} for none
   * @throws IllegalArgumentException if the file cannot be read or contains no usable key and
   *     certificate; the message names the file and the fix
   */
  public static ClientCertificate load(Path path, SecretValue password) {
    byte[] content = read(path);
    try {
      return isPem(content) ? loadPem(new String(content, StandardCharsets.US_ASCII), password)
          : loadPkcs12(content, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("Invalid certificate file " + path + ": " + describe(e)
          + "; use a PEM file with a PKCS#8 private key and its certificate, or a PKCS#12 (.pfx) file"
          + " and its password", e);
    }
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the certificate file " + path + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private static boolean isPem(byte[] content) {
    return new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII)
        .contains("-----BEGIN ");
  }

  private static ClientCertificate loadPem(String text, SecretValue password)
      throws GeneralSecurityException, IOException {
    PrivateKey key = null;
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      switch (block.group(1)) {
        case "CERTIFICATE" -> certificates.add(certificate(der));
        case "PRIVATE KEY" -> key = privateKey(new PKCS8EncodedKeySpec(der));
        case "ENCRYPTED PRIVATE KEY" -> key = decrypt(der, password);
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new GeneralSecurityException(
            "its " + block.group(1) + " is not PKCS#8; convert it with"
                + " 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        default -> { } // Other blocks, such as EC PARAMETERS, carry nothing the key needs.
      }
    }
    if (key == null || certificates.isEmpty()) {
      throw new GeneralSecurityException(key == null ? "the private key is missing" : "the certificate is missing");
    }
    return ClientCertificate.of(key, leafFirst(key, certificates));
  }

  private static PrivateKey decrypt(byte[] der, SecretValue password)
      throws GeneralSecurityException, IOException {
    if (password == null) {
      throw new GeneralSecurityException("its private key is encrypted and no password was given");
    }
    EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
    String algorithm = encryptionAlgorithm(info);
    PBEKeySpec spec = new PBEKeySpec(password.reveal().toCharArray());
    try {
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(spec),
          info.getAlgParameters());
      return privateKey(info.getKeySpec(cipher));
    } finally {
      spec.clearPassword();
    }
  }

  /**
   * Returns the JCA name of the key's encryption. For PBES2, which OpenSSL writes by default, Java 17
   * reports only the OID, and the full name (such as PBEWithHmacSHA256AndAES_256) is in the parameters.
   */
  private static String encryptionAlgorithm(EncryptedPrivateKeyInfo info) {
    String name = info.getAlgName();
    boolean pbes2 = name.equals("1.2.840.113549.1.5.13") || name.equalsIgnoreCase("PBES2");
    return pbes2 && info.getAlgParameters() != null ? info.getAlgParameters().toString() : name;
  }

  private static ClientCertificate loadPkcs12(byte[] content, SecretValue password)
      throws GeneralSecurityException, IOException {
    char[] secret = password == null ? new char[0] : password.reveal().toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(new ByteArrayInputStream(content), secret);
    for (String alias : Collections.list(store.aliases())) {
      Key key = store.getKey(alias, secret);
      if (key instanceof PrivateKey privateKey) {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate certificate : store.getCertificateChain(alias)) {
          chain.add((X509Certificate) certificate);
        }
        return ClientCertificate.of(privateKey, chain);
      }
    }
    throw new GeneralSecurityException("the private key entry is missing");
  }

  private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  private static PrivateKey privateKey(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("its private key is neither RSA nor EC", last);
  }

  /** Moves the certificate that matches {@code key} to the front of the chain. */
  private static List<X509Certificate> leafFirst(PrivateKey key, List<X509Certificate> certificates)
      throws GeneralSecurityException {
    for (X509Certificate candidate : certificates) {
      if (matches(key, candidate.getPublicKey())) {
        List<X509Certificate> chain = new ArrayList<>(certificates);
        chain.remove(candidate);
        chain.add(0, candidate);
        return chain;
      }
    }
    throw new GeneralSecurityException("none of its certificates matches its private key");
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    byte[] probe = "latchkey key match".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();

    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(publicKey);
    verifier.update(probe);
    return verifier.verify(signature);
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
