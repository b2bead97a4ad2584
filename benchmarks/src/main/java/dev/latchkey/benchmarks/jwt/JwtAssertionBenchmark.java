package dev.latchkey.benchmarks.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.SigningKey;
import dev.latchkey.auth.jose.JwsAlgorithm;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Creation of one {@code private_key_jwt} client assertion (RFC 7523 section 2.2): claims, header,
 * signature and compact serialization, by Latchkey and by Nimbus JOSE+JWT with the same key, claims
 * and header members.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JwtAssertionBenchmark {

  private static final String CLIENT_ID = "billing-exporter";
  private static final URI TOKEN_ENDPOINT = URI.create("https://login.example.com/oauth2/token");

  @Param({"RS256", "ES256"})
  public String algorithm;

  private ClientAuthentication latchkey;
  private JWSSigner nimbusSigner;
  private JWSHeader nimbusHeader;
  private Instant now;

  @Setup
  public void setUp() throws GeneralSecurityException, JOSEException {
    KeyPair keys = generate(algorithm);
    SigningKey signingKey = SigningKey.builder().algorithm(JwsAlgorithm.fromName(algorithm))
        .privateKey(keys.getPrivate()).keyId("key-1").build();
    latchkey = ClientAuthentication.privateKeyJwt(CLIENT_ID, signingKey);
    nimbusSigner = algorithm.equals("ES256")
        ? new ECDSASigner((ECPrivateKey) keys.getPrivate())
        : new RSASSASigner(keys.getPrivate());
    nimbusHeader = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm))
        .type(JOSEObjectType.JWT).keyID("key-1").build();
    now = Instant.parse("2026-12-04T20:00:00Z");
  }

  @Benchmark
  public Map<String, String> latchkey() {
    return latchkey.parameters(TOKEN_ENDPOINT, now).formParameters();
  }

  @Benchmark
  public String nimbus() throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(CLIENT_ID)
        .subject(CLIENT_ID)
        .audience(TOKEN_ENDPOINT.toString())
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now.minusSeconds(30)))
        .expirationTime(Date.from(now.plusSeconds(60)))
        .build();
    SignedJWT jwt = new SignedJWT(nimbusHeader, claims);
    jwt.sign(nimbusSigner);
    return jwt.serialize();
  }

  private static KeyPair generate(String algorithm) throws GeneralSecurityException {
    if (algorithm.equals("ES256")) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }
}
