package io.dbbinding.webhook;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The serving key pair of the webhook, replaced while the server runs: each TLS handshake takes the
 * newest one, and a handshake that chose the previous alias a moment before the swap still finds
 * it.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private record Entry(String alias, ServingKeys keys) {}

  private final AtomicInteger version = new AtomicInteger();
  private volatile Entry current;
  private volatile Entry previous;

  /** Serves {@code keys} from the next handshake on; false when they are the ones served now. */
  synchronized boolean load(ServingKeys keys) {
    Entry now = current;
    if (now != null && now.keys().chain().equals(keys.chain())) {
      return false;
    }
    previous = now;
    current = new Entry("serving-" + version.incrementAndGet(), keys);
    return true;
  }

  Optional<X509Certificate> serving() {
    Entry e = current;
    return e == null ? Optional.empty() : Optional.of(e.keys().certificate());
  }

  private Optional<Entry> find(String alias) {
    for (Entry e : new Entry[] {current, previous}) {
      if (e != null && e.alias().equals(alias)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private String choose(String keyType) {
    Entry e = current;
    if (e == null || keyType == null) {
      return null;
    }
    String algorithm = e.keys().key().getAlgorithm();
    // JSSE asks for "EC", "RSA", or for TLS 1.2's ECDH suites "EC_EC" and the like.
    return keyType.equals(algorithm) || keyType.startsWith(algorithm + "_") ? e.alias() : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = choose(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return find(alias).map(e -> e.keys().chain().toArray(X509Certificate[]::new)).orElse(null);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return find(alias).map(e -> e.keys().key()).orElse(null);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
