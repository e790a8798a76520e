package dev.statusmessenger.rest;

import dev.statusmessenger.auth.AuthFailed;
import dev.statusmessenger.auth.Credentials;
import dev.statusmessenger.auth.TokenCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * Checks the bearer credential of a request: a producer key for posting, a session token for
 * reading that session. 401 where there is none, 403 where it is the wrong one.
 */
@ApplicationScoped
public class Access {

  private static final String BEARER = "Bearer ";

  @Inject Credentials credentials;
  @Inject Event<AuthFailed> authFailed;

  /** Requires a producer key. */
  public void requireProducer(String authorization) {
    if (!credentials.authEnabled()) {
      return;
    }
    String key = bearer(authorization);
    if (!credentials.isProducerKey(key)) {
      throw refused(Response.Status.FORBIDDEN, "This credential is not a producer key");
    }
  }

  /** Requires a valid token of this session. */
  public void requireSessionHolder(String authorization, String sessionId) {
    if (!credentials.authEnabled()) {
      return;
    }
    TokenCheck check = credentials.checkSessionToken(bearer(authorization), sessionId);
    if (check != TokenCheck.VALID) {
      throw refused(
          Response.Status.FORBIDDEN,
          check == TokenCheck.EXPIRED
              ? "The session token has expired"
              : "This credential is not a valid token of this session");
    }
  }

  /** Requires a producer key, or a valid token of the given session (where there is one). */
  public void requireProducerOrSessionHolder(String authorization, String sessionId) {
    if (!credentials.authEnabled()) {
      return;
    }
    String credential = bearer(authorization);
    if (credentials.isProducerKey(credential)) {
      return;
    }
    if (sessionId == null
        || credentials.checkSessionToken(credential, sessionId) != TokenCheck.VALID) {
      throw refused(
          Response.Status.FORBIDDEN,
          "This credential is neither a producer key nor a valid token of the task's session");
    }
  }

  /** Counts the refusal (for metrics) and makes its problem. */
  private Problem refused(Response.Status status, String detail) {
    authFailed.fire(new AuthFailed(AuthFailed.HTTP));
    return new Problem(status, detail);
  }

  private String bearer(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        || authorization.length() == BEARER.length()) {
      throw refused(
          Response.Status.UNAUTHORIZED, "Missing credential: send Authorization: Bearer <token>");
    }
    return authorization.substring(BEARER.length()).trim();
  }
}
