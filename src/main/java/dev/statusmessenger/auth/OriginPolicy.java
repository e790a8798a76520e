package dev.statusmessenger.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code Origin} may open a WebSocket: with an allowlist, exactly the origins listed
 * ({@code scheme://host[:port]}, compared whole, case-insensitively, default ports ignored); without
 * one, only the server's own origin, whose host and port must equal the request's {@code Host}.
 * An origin that merely starts like an allowed one ({@code http://app.example.evil.com}) is refused.
 * A request with no {@code Origin} comes from a non-browser client (a CLI, a server), which could
 * send any header it liked, so it is let through to authenticate with its credential.
 */
public final class OriginPolicy {

  private final Set<String> allowed;

  /** @param allowedOrigins exact origins; empty means same origin only */
  public OriginPolicy(List<String> allowedOrigins) {
    this.allowed =
        allowedOrigins.stream()
            .map(OriginPolicy::normalize)
            .filter(o -> o != null)
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Whether a handshake with this {@code Origin} header may go on.
   *
   * @param host the request's {@code Host} header (for same origin)
   */
  public boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    String normalized = normalize(origin);
    if (normalized == null) {
      return false;
    }
    if (!allowed.isEmpty()) {
      return allowed.contains(normalized);
    }
    return host != null && authorityOf(normalized).equals(normalizeHost(host, normalized));
  }

  /** {@code scheme://host[:port]} in lower case without a default port, or null where malformed. */
  static String normalize(String origin) {
    String trimmed = origin.trim();
    if (trimmed.isEmpty() || trimmed.length() > 2048) {
      return null;
    }
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme();
      String host = uri.getHost();
      if (scheme == null
          || host == null
          || uri.getRawUserInfo() != null
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return null;
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      int port = uri.getPort();
      boolean defaultPort = port == -1 || port == defaultPort(scheme);
      return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static String authorityOf(String normalizedOrigin) {
    return normalizedOrigin.substring(normalizedOrigin.indexOf("://") + 3);
  }

  /** The Host header as the origin's authority would show it (default port of its scheme dropped). */
  private static String normalizeHost(String host, String normalizedOrigin) {
    String scheme = normalizedOrigin.substring(0, normalizedOrigin.indexOf("://"));
    String h = host.trim().toLowerCase(Locale.ROOT);
    String suffix = ":" + defaultPort(scheme);
    return h.endsWith(suffix) ? h.substring(0, h.length() - suffix.length()) : h;
  }
}
