package dev.statusmessenger.auth;

/**
 * Fired (as a CDI event) when a credential is refused, so metrics count it without the socket and
 * HTTP layers knowing about metrics. Carries no credential.
 *
 * @param channel {@code socket} or {@code http}
 */
public record AuthFailed(String channel) {

  public static final String SOCKET = "socket";
  public static final String HTTP = "http";
}
