package io.dbbinding.webhook;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/** A certificate chain (serving certificate first) and the private key of its first entry. */
record ServingKeys(List<X509Certificate> chain, PrivateKey key) {
  ServingKeys {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate");
    }
  }

  X509Certificate certificate() {
    return chain.getFirst();
  }

  /** The key pair read from PEM text, if the key belongs to the certificate. */
  static ServingKeys parse(String certificatePem, String keyPem) throws Pem.InvalidPemException {
    List<X509Certificate> chain = Pem.certificates(certificatePem);
    if (chain.isEmpty()) {
      throw new Pem.InvalidPemException("no certificate in tls.crt");
    }
    PrivateKey key = Pem.privateKey(keyPem);
    if (!matches(chain.getFirst(), key)) {
      throw new Pem.InvalidPemException("tls.key does not belong to the certificate in tls.crt");
    }
    return new ServingKeys(chain, key);
  }

  /** Whether {@code key} is the private half of {@code certificate}'s public key. */
  static boolean matches(X509Certificate certificate, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null
        || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(challenge);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(certificate.getPublicKey());
      v.update(challenge);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
